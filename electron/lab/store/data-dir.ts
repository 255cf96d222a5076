import { homedir } from 'node:os';
import { join } from 'node:path';

/** The folder name under the platform's data folder; Electron's shell sets userData to the same. */
export const APP_FOLDER_NAME = 'rl-code-lab';

/**
 * Where the lab keeps its database, checkpoints and settings: LAB_DATA_DIR when set (tests, portable
 * installs), else the platform's per-user data folder ($XDG_DATA_HOME on Linux). The Electron shell
 * calls app.setPath('userData', labDataDir()) so the app and the CLI share one store.
 */
export function labDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.LAB_DATA_DIR) return env.LAB_DATA_DIR;
  const home = env.HOME || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_FOLDER_NAME);
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME);
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), APP_FOLDER_NAME);
}

export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(labDataDir(env), 'lab.sqlite');
}
