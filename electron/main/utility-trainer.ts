import { utilityProcess } from 'electron';
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { TrainerCommand } from '#shared/training/trainer-events.ts';
import { TrainerHandle, type TrainerStart } from '#lab/training/trainer-client.ts';
import type { TrainerSpawner } from '#lab/training/trainer-manager.ts';

/**
 * Trainers in the app run as Electron utilityProcess children of the built trainer entry
 * (out/main/trainer-process.js): the window never waits on training, and a crash there loses
 * nothing written. The handle's ChildProcess surface (message, exit, send, kill, pid) is adapted
 * from the utility process's.
 */
export function utilityTrainerSpawner(mainDir: string): TrainerSpawner {
  return (start: TrainerStart) => {
    const child = utilityProcess.fork(join(mainDir, 'trainer-process.js'), [JSON.stringify(start)], {
      serviceName: `trainer ${start.experimentId}`,
      stdio: 'inherit',
    });
    let alive = true;
    const adapter = new EventEmitter() as EventEmitter & { connected: boolean; pid?: number; send(c: TrainerCommand): boolean; kill(): boolean };
    adapter.connected = true;
    child.on('spawn', () => (adapter.pid = child.pid));
    child.on('message', (message: unknown) => adapter.emit('message', message));
    child.on('exit', (code: number) => {
      alive = false;
      adapter.connected = false;
      adapter.emit('exit', code, null);
    });
    adapter.send = (command) => {
      if (alive) child.postMessage(command);
      return alive;
    };
    adapter.kill = () => child.kill();
    return new TrainerHandle(start.experimentId, adapter as unknown as ChildProcess);
  };
}
