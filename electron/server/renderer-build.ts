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

const APP_OUTPUTS = ['main/index.js', 'preload/index.cjs', 'renderer/index.html'].map((file) => join(PROJECT_ROOT, 'out', file));

/** True when a bundle of the desktop app (main, preload, renderer) is missing or older than its sources. */
export function appBuildIsStale(): boolean {
  if (!APP_OUTPUTS.every((file) => existsSync(file))) return true;
  const built = Math.min(...APP_OUTPUTS.map((file) => statSync(file).mtimeMs));
  const sources = Math.max(
    ...['renderer', 'shared', 'electron/main', 'electron/preload', 'electron/host', 'electron/lab/store'].map((dir) => newestMtime(join(PROJECT_ROOT, dir))),
    statSync(join(PROJECT_ROOT, 'electron.vite.config.ts')).mtimeMs,
  );
  return sources > built;
}

/** Builds the app (main, preload, renderer) with electron-vite when the renderer is stale. */
export function ensureRendererBuilt(log: (line: string) => void = () => {}): void {
  if (rendererIsStale()) build(log);
}

/** Builds the app when any of its bundles is stale: what `lab start` opens. */
export function ensureAppBuilt(log: (line: string) => void = () => {}): void {
  if (appBuildIsStale()) build(log);
}

function build(log: (line: string) => void): void {
  log('building the app (npx electron-vite build)...');
  const bin = join(PROJECT_ROOT, 'node_modules', '.bin', 'electron-vite');
  const result = spawnSync(bin, ['build'], { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    throw new Error(`electron-vite build failed (exit ${result.status}):\n${(result.stderr || result.stdout || '').slice(-4000)}`);
  }
}
