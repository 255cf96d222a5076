import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** tsx's loader by absolute URL: the child may start from any working directory. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Starts one of the engine's process entry points (a trainer, a solver) with child_process.fork,
 * running its TypeScript through tsx, with `start` as its one argument (JSON) and an IPC channel.
 * Silent: stdout dropped and stderr piped for the caller, instead of both shared with this process.
 */
export function forkEngineChild(entry: string, start: unknown, options: { silent?: boolean } = {}): ChildProcess {
  return fork(entry, [JSON.stringify(start)], {
    execArgv: ['--import', TSX_LOADER],
    stdio: options.silent ? ['ignore', 'ignore', 'pipe', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
}
