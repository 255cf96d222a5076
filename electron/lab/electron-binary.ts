import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths.ts';

/**
 * Whether an Electron binary is installed, decided without resolving the `electron` package:
 * resolving it from Node starts a download from GitHub, which these machines cannot reach
 * (docs/toolchain.md, "The Electron binary"). The binary is there when ELECTRON_OVERRIDE_DIST_PATH names an installed
 * Electron, or when node_modules/electron/path.txt names a file under node_modules/electron/dist.
 */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env, root = PROJECT_ROOT): string | undefined {
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidates = ['electron', 'Electron.app/Contents/MacOS/Electron', 'electron.exe'].map((f) => join(override, f));
    return candidates.find((file) => existsSync(file));
  }
  const packageDir = join(root, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const relativePath = readFileSync(pathFile, 'utf8').trim();
  const binary = join(packageDir, 'dist', relativePath);
  return relativePath && existsSync(binary) ? binary : undefined;
}
