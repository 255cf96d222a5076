import { z } from 'zod';

/**
 * What the desktop app's main process and its engine host say to each other over the host's IPC
 * channel (JSON, so an Electron and a Node of different V8 versions read each other): numbered
 * requests, answers carrying the same number, and the engine's events pushed unnumbered.
 */

/** How the host is started: its one command-line argument, as JSON. */
export const hostStartSchema = z.object({ dbPath: z.string().min(1) });
export type HostStart = z.infer<typeof hostStartSchema>;

export const hostRequestSchema = z.discriminatedUnion('type', [
  /** One API call; answered with the API's own response ({ok, result} or {ok: false, error}). */
  z.object({ seq: z.number().int(), type: z.literal('call'), method: z.string(), input: z.unknown().optional() }),
  /** Stop the trainers (each checkpoints first), close the store, answer, exit. */
  z.object({ seq: z.number().int(), type: z.literal('stop') }),
]);
export type HostRequest = z.infer<typeof hostRequestSchema>;

const errorSchema = z.object({ name: z.string(), message: z.string() });

export const hostMessageSchema = z.union([
  // The error answer first: `result: unknown` would also accept an object without a result.
  z.object({ seq: z.number().int(), error: errorSchema }),
  z.object({ seq: z.number().int(), result: z.unknown().optional() }),
  /** A lab event (the renderer parses it, as it parses WebSocket frames). */
  z.object({ type: z.literal('event'), event: z.unknown() }),
  /** The store is open and calls are answered from now on. */
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  /** The engine could not open (the store is unreadable, a migration failed...). */
  z.object({ type: z.literal('failed'), error: errorSchema }),
]);
export type HostMessage = z.infer<typeof hostMessageSchema>;

export function errorOf(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
}
