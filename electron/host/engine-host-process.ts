/**
 * The engine host's process: it owns the store, the API and the trainers exactly as the lab server
 * does, and answers the main process's numbered requests (host-protocol.ts). When the main process
 * goes away without saying so, the trainers still checkpoint before the host leaves.
 */
import { openLabEngine, type LabEngine } from '#lab/api/lab-engine.ts';
import { errorOf, hostRequestSchema, hostStartSchema, type HostMessage } from './host-protocol.ts';

function send(message: HostMessage): void {
  if (process.connected) process.send?.(message);
}

async function shutdown(engine: LabEngine, code: number): Promise<never> {
  try {
    await engine.close();
  } catch (error) {
    process.stderr.write(`lab engine: closing failed: ${errorOf(error).message}\n`);
  }
  // Let the last answer drain, then leave even if a library keeps a handle open.
  setTimeout(() => process.exit(code), 50);
  return new Promise<never>(() => {});
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('the engine host must be started with an IPC channel (by the desktop app)');
  let engine: LabEngine;
  try {
    const start = hostStartSchema.parse(JSON.parse(process.argv[2] ?? 'null'));
    engine = await openLabEngine({ dbPath: start.dbPath });
  } catch (error) {
    send({ type: 'failed', error: errorOf(error) });
    setTimeout(() => process.exit(1), 50);
    return;
  }
  engine.api.subscribe((event) => send({ type: 'event', event }));
  process.on('disconnect', () => void shutdown(engine, 0));
  process.on('message', (raw: unknown) => {
    const parsed = hostRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const seq = (raw as { seq?: unknown } | null)?.seq;
      if (typeof seq === 'number') send({ seq, error: { name: 'ProtocolError', message: `not a host request: ${parsed.error.issues[0]?.message ?? 'invalid'}` } });
      return;
    }
    const request = parsed.data;
    if (request.type === 'stop') {
      void engine.close().finally(() => {
        send({ seq: request.seq, result: null });
        void shutdown(engine, 0);
      });
      return;
    }
    engine.api.call(request.method, request.input).then(
      (result) => send({ seq: request.seq, result }),
      (error: unknown) => send({ seq: request.seq, error: errorOf(error) }),
    );
  });
  send({ type: 'ready', pid: process.pid });
}

await main();
