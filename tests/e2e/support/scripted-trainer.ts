import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TrainerHandle, type TrainerStart } from '#lab/training/trainer-client.ts';
import type { TrainerSpawner } from '#lab/training/trainer-manager.ts';

const ENTRY = fileURLToPath(new URL('./scripted-trainer-process.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** A TrainerSpawner for tests: forks the scripted trainer instead of the real one. */
export function scriptedTrainerSpawner(episodeMs = 60): TrainerSpawner {
  return (start: TrainerStart) => {
    const child = fork(ENTRY, [JSON.stringify(start)], {
      execArgv: ['--import', TSX_LOADER],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
      env: { ...process.env, SCRIPTED_TRAINER_EPISODE_MS: String(episodeMs) },
    });
    return new TrainerHandle(start.experimentId, child);
  };
}
