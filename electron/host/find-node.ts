import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const NODE_MISSING_MESSAGE =
  'RL Code Lab needs Node.js to run its engine, and none was found: install Node.js 20.19 or newer ' +
  '(https://nodejs.org) so that `node` is on your PATH, or start the app with `npm start`.';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The Node.js that runs the engine host: LAB_NODE_PATH (set by `lab start`), else the one that
 * runs npm (npm_node_execpath), else `node` on PATH. Never Electron's own executable: native
 * addons built by `npm install` load only in the Node they were built for.
 */
export function findNode(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  for (const candidate of [env.LAB_NODE_PATH, env.npm_node_execpath]) {
    if (candidate && executable(candidate)) return candidate;
  }
  const names = platform === 'win32' ? ['node.exe', 'node.cmd'] : ['node'];
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const file = join(dir, name);
      if (executable(file)) return file;
    }
  }
  return undefined;
}
