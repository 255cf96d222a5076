import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { trainerEventSchema, type TrainerCommand, type TrainerEvent } from '#shared/training/trainer-events.ts';
import type { ExperimentStatus } from '#shared/experiments/experiment.ts';
import { forkEngineChild } from '#lab/fork-engine-child.ts';

/** What a trainer process is started with (passed as its one argument, as JSON). */
export interface TrainerStart {
  dbPath: string;
  experimentId: number;
  /** Continue from the experiment's latest complete checkpoint. */
  resume: boolean;
}

export interface TrainerExit {
  status: ExperimentStatus;
  error: string | null;
}

export const TRAINER_ENTRY = fileURLToPath(new URL('./trainer-process.ts', import.meta.url));

/**
 * A running trainer seen from the parent (CLI, lab server, Electron main): its events, its
 * commands, and how it ended. A process that dies without a `finished` event ends as interrupted.
 */
export class TrainerHandle extends EventEmitter<{ event: [TrainerEvent] }> {
  readonly done: Promise<TrainerExit>;
  private finished: TrainerExit | undefined;

  constructor(
    readonly experimentId: number,
    private readonly child: ChildProcess,
  ) {
    super();
    child.on('message', (raw) => {
      const parsed = trainerEventSchema.safeParse(raw);
      if (!parsed.success) {
        // A trainer of another version, or a bug: say so where the run's log is read, never drop it.
        this.emit('event', { type: 'log', experiment_id: experimentId, level: 'error', message: unreadableEvent(raw, parsed.error) });
        return;
      }
      if (parsed.data.type === 'finished') this.finished = { status: parsed.data.status, error: parsed.data.error };
      this.emit('event', parsed.data);
    });
    this.done = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        resolve(
          this.finished ?? {
            status: 'interrupted',
            error: `the trainer process ended without finishing (${signal ? `signal ${signal}` : `exit code ${code}`})`,
          },
        );
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send(command: TrainerCommand): void {
    if (this.child.connected) this.child.send(command);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child.kill(signal);
  }
}

/** What the log says about a message from a trainer that is not a trainer event. */
export function unreadableEvent(raw: unknown, error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.map(String).join('.') : 'message';
  let text: string;
  try {
    text = JSON.stringify(raw) ?? String(raw);
  } catch {
    text = String(raw);
  }
  return `the trainer sent a message that is not a trainer event (${where}: ${issue?.message ?? 'invalid'}), ignored: ${text.length > 200 ? `${text.slice(0, 200)}...` : text}`;
}

/** Starts a trainer with child_process.fork, running the engine's TypeScript through tsx. */
export function forkTrainer(start: TrainerStart, options: { silent?: boolean } = {}): TrainerHandle {
  return new TrainerHandle(start.experimentId, forkEngineChild(TRAINER_ENTRY, start, options));
}
