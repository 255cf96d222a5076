import { trainerCommandSchema, type TrainerCommand, type TrainerEvent } from '#shared/training/trainer-events.ts';

/** How a trainer process talks to its parent (the CLI, the lab server or the app's engine host). */
export interface TrainerChannel {
  send(event: TrainerEvent): void;
  onCommand(handler: (command: TrainerCommand) => void): void;
  /** Called when the parent goes away: the run stops cleanly rather than train unwatched forever. */
  onParentGone(handler: () => void): void;
}

/** The channel of this process: the IPC channel of child_process.fork. */
export function processChannel(): TrainerChannel {
  if (!process.send) throw new Error('the trainer must run as a child process (child_process.fork)');
  const parse = (raw: unknown, handler: (command: TrainerCommand) => void) => {
    const parsed = trainerCommandSchema.safeParse(raw);
    if (parsed.success) handler(parsed.data);
  };
  return {
    send: (event) => process.send?.(event),
    onCommand: (handler) => process.on('message', (raw) => parse(raw, handler)),
    onParentGone: (handler) => process.on('disconnect', handler),
  };
}
