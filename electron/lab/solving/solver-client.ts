import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { forkEngineChild } from '#lab/fork-engine-child.ts';
import type { SolveRunStatus } from '#shared/solving/solve-run.ts';
import { solverMessageSchema, type SolverMessage, type SolverStart } from './solver-messages.ts';

export interface SolverExit {
  status: Exclude<SolveRunStatus, 'running'>;
  error: string | null;
}

export const SOLVER_ENTRY = fileURLToPath(new URL('./solver-process.ts', import.meta.url));

/**
 * How long a solver may take to stop on its own: it stops between batches of episodes, but an
 * enumeration runs to its budget, which can be minutes on a large one.
 */
export const SOLVER_STOP_GRACE_MS = 10_000;

/**
 * A running solver seen from the parent: its messages, how to stop it, and how it ended. A process
 * that dies without a `finished` message ends as stopped when a stop was asked for (a stop that
 * outlived its grace is a kill), else as interrupted.
 */
export class SolverHandle extends EventEmitter<{ message: [SolverMessage] }> {
  readonly done: Promise<SolverExit>;
  private finished: SolverExit | undefined;
  private stopAsked: { interrupted: boolean } | undefined;
  private killTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly solveId: number,
    private readonly child: ChildProcess,
  ) {
    super();
    child.on('message', (raw) => {
      const parsed = solverMessageSchema.safeParse(raw);
      if (!parsed.success) {
        process.stderr.write(`solve run ${solveId}: ignored a message that is not a solver message: ${parsed.error.issues[0]?.message ?? 'invalid'}\n`);
        return;
      }
      if (parsed.data.type === 'finished') this.finished = { status: parsed.data.status, error: parsed.data.error };
      this.emit('message', parsed.data);
    });
    this.done = new Promise((resolve) => {
      const ended = (how: string) => {
        clearTimeout(this.killTimer);
        resolve(this.finished ?? this.unfinished(how));
      };
      child.on('exit', (code, signal) => ended(signal ? `signal ${signal}` : `exit code ${code}`));
      child.on('error', (error) => ended(error.message));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Asks the solver to stop after the problem at hand; kills it when it has not within the grace. */
  stop(options: { interrupted?: boolean; graceMs?: number } = {}): void {
    this.stopAsked ??= { interrupted: options.interrupted ?? false };
    if (this.child.connected) this.child.send({ type: 'stop', interrupted: this.stopAsked.interrupted });
    this.killTimer ??= setTimeout(() => this.child.kill('SIGKILL'), options.graceMs ?? SOLVER_STOP_GRACE_MS);
  }

  private unfinished(how: string): SolverExit {
    if (this.stopAsked && !this.stopAsked.interrupted) return { status: 'stopped', error: null };
    return { status: 'interrupted', error: `the solver process ended without finishing (${how})` };
  }
}

/** Starts a solver for a stored run with child_process.fork. */
export function forkSolver(start: SolverStart): SolverHandle {
  return new SolverHandle(start.solveId, forkEngineChild(SOLVER_ENTRY, start));
}
