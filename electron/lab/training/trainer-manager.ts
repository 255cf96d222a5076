import { EventEmitter } from 'node:events';
import type { TrainerCommand, TrainerEvent } from '#shared/training/trainer-events.ts';
import { forkTrainer, type TrainerExit, type TrainerHandle, type TrainerStart } from './trainer-client.ts';

/** Starts a trainer process (tests pass one that forks a scripted trainer). */
export type TrainerSpawner = (start: TrainerStart) => TrainerHandle;

/**
 * The trainers of one lab (server or app): at most one process per experiment, their events merged
 * into one stream for the API's event channel, and their commands routed by experiment id.
 */
export class TrainerManager extends EventEmitter<{ event: [TrainerEvent]; exit: [number, TrainerExit] }> {
  private readonly handles = new Map<number, TrainerHandle>();

  constructor(
    private readonly dbPath: string,
    private readonly spawn: TrainerSpawner = (start) => forkTrainer(start),
  ) {
    super();
  }

  start(experimentId: number, resume = false): TrainerHandle {
    if (this.handles.has(experimentId)) throw new Error(`experiment ${experimentId} is already training`);
    const handle = this.spawn({ dbPath: this.dbPath, experimentId, resume });
    this.handles.set(experimentId, handle);
    handle.on('event', (event) => this.emit('event', event));
    void handle.done.then((exit) => {
      this.handles.delete(experimentId);
      this.emit('exit', experimentId, exit);
    });
    return handle;
  }

  isRunning(experimentId: number): boolean {
    return this.handles.has(experimentId);
  }

  running(): number[] {
    return [...this.handles.keys()];
  }

  /** Sends a command to a running trainer; false when that experiment has no trainer. */
  command(experimentId: number, command: TrainerCommand): boolean {
    const handle = this.handles.get(experimentId);
    if (!handle) return false;
    handle.send(command);
    return true;
  }

  /** Asks every trainer to stop (each checkpoints first) and waits for them. */
  async stopAll(): Promise<void> {
    const handles = [...this.handles.values()];
    for (const handle of handles) handle.send({ type: 'stop' });
    await Promise.all(handles.map((h) => h.done));
  }
}
