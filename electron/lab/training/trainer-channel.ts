import { trainerCommandSchema, type TrainerCommand, type TrainerEvent } from '#shared/training/trainer-events.ts';

/** How a trainer process talks to its parent: Node's fork IPC, or Electron's utilityProcess port. */
export interface TrainerChannel {
  send(event: TrainerEvent): void;
  onCommand(handler: (command: TrainerCommand) => void): void;
  /** Called when the parent goes away: the run stops cleanly rather than train unwatched forever. */
  onParentGone(handler: () => void): void;
}

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/** The channel of this process: Electron's parentPort when run as a utilityProcess, else fork IPC. */
export function processChannel(): TrainerChannel {
  const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
  const parse = (raw: unknown, handler: (command: TrainerCommand) => void) => {
    const parsed = trainerCommandSchema.safeParse(raw);
    if (parsed.success) handler(parsed.data);
  };
  if (port) {
    return {
      send: (event) => port.postMessage(event),
      onCommand: (handler) => port.on('message', (event) => parse(event.data, handler)),
      onParentGone: () => {}, // utilityProcess children end with their parent
    };
  }
  if (!process.send) throw new Error('the trainer must run as a child process (fork or utilityProcess)');
  return {
    send: (event) => process.send?.(event),
    onCommand: (handler) => process.on('message', (raw) => parse(raw, handler)),
    onParentGone: (handler) => process.on('disconnect', handler),
  };
}
