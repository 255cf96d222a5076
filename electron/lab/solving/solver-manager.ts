import { EventEmitter } from 'node:events';
import type { SolverMessage, SolverStart } from './solver-messages.ts';
import { forkSolver, type SolverExit, type SolverHandle } from './solver-client.ts';

/** Starts a solver process (tests may pass another). */
export type SolverSpawner = (start: SolverStart) => SolverHandle;

/**
 * The solve runs of one lab (server or app), each in its own process so a run of minutes never
 * blocks the lab's event loop: their messages merged into one stream, stops routed by run id.
 */
export class SolverManager extends EventEmitter<{ message: [SolverMessage]; exit: [number, SolverExit] }> {
  private readonly handles = new Map<number, SolverHandle>();

  constructor(
    private readonly dbPath: string,
    private readonly spawn: SolverSpawner = forkSolver,
  ) {
    super();
  }

  start(solveId: number): SolverHandle {
    if (this.handles.has(solveId)) throw new Error(`solve run ${solveId} is already running`);
    const handle = this.spawn({ dbPath: this.dbPath, solveId });
    this.handles.set(solveId, handle);
    handle.on('message', (message) => this.emit('message', message));
    void handle.done.then((exit) => {
      this.handles.delete(solveId);
      this.emit('exit', solveId, exit);
    });
    return handle;
  }

  isRunning(solveId: number): boolean {
    return this.handles.has(solveId);
  }

  /** Asks a run's solver to stop; false when that run has no solver here. */
  stop(solveId: number): boolean {
    const handle = this.handles.get(solveId);
    handle?.stop();
    return handle !== undefined;
  }

  /** The lab is closing: every run ends as interrupted, keeping what it found. */
  async stopAll(): Promise<void> {
    const handles = [...this.handles.values()];
    for (const handle of handles) handle.stop({ interrupted: true });
    await Promise.all(handles.map((h) => h.done));
  }
}
