import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '#lab/paths.ts';

export const RENDERER_OUT_DIR = join(PROJECT_ROOT, 'out', 'renderer');

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** True when out/renderer is missing or older than a source under renderer/ or shared/. */
export function rendererIsStale(): boolean {
  const index = join(RENDERER_OUT_DIR, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const sources = Math.max(
    newestMtime(join(PROJECT_ROOT, 'renderer')),
    newestMtime(join(PROJECT_ROOT, 'shared')),
    statSync(join(PROJECT_ROOT, 'electron.vite.config.ts')).mtimeMs,
  );
  return sources > built;
}

/** Builds the app (main, preload, renderer) with electron-vite when the renderer is stale. */
export function ensureRendererBuilt(log: (line: string) => void = () => {}): void {
  if (!rendererIsStale()) return;
  log('building the renderer (npx electron-vite build)...');
  const bin = join(PROJECT_ROOT, 'node_modules', '.bin', 'electron-vite');
  const result = spawnSync(bin, ['build'], { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    throw new Error(`electron-vite build failed (exit ${result.status}):\n${(result.stderr || result.stdout || '').slice(-4000)}`);
  }
}
