import { parseRedisUrl } from '#lab/sweeps/redis-url.ts';
import { EXIT, RefusedError, UsageError, type Command, type CommandIo, type ParsedArgs } from '../command.ts';

function required(args: ParsedArgs, name: string, env?: string): string {
  const value = args.values[name];
  if (typeof value === 'string' && value) return value;
  const fromEnv = env ? process.env[env] : undefined;
  if (fromEnv) return fromEnv;
  throw new UsageError(`--${name} is required${env ? ` (or ${env})` : ''}`);
}

/** A positive whole number from an environment variable, for test settings; undefined when unset. */
function envMs(name: string): number | undefined {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

async function runWorker(args: ParsedArgs, io: CommandIo): Promise<number> {
  const queue = required(args, 'queue', 'LAB_QUEUE');
  const lab = required(args, 'lab');
  const token = required(args, 'token', 'LAB_WORKER_TOKEN');
  const concurrency = Number(args.values.concurrency ?? 1);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency must be a whole number from 1 to 64, got "${String(args.values.concurrency)}"`);
  try {
    parseRedisUrl(queue);
    new URL(lab);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // Loaded here, not at start-up: BullMQ and ioredis would slow every other command.
  const { startSweepWorker, WorkerRefusedError } = await import('#lab/sweeps/sweep-worker.ts');
  let worker;
  try {
    worker = await startSweepWorker({
      queue,
      lab: { url: lab },
      token,
      concurrency,
      lockMs: envMs('LAB_WORKER_LOCK_MS'),
      stalledCheckMs: envMs('LAB_WORKER_STALL_MS'),
      spoolMaxBytes: envMs('LAB_WORKER_SPOOL_BYTES'),
      log: (line) => io.err(line),
    });
  } catch (error) {
    if (error instanceof WorkerRefusedError) throw new RefusedError(`lab worker: ${error.message}`);
    throw error;
  }
  io.err(`worker ${process.pid} is taking runs (${concurrency} at a time); stop with Ctrl+C`);
  if (args.values.json) io.out(JSON.stringify({ pid: process.pid, concurrency }));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  io.err('stopping: running runs checkpoint and go back to the queue...');
  await worker.stop();
  return EXIT.ok;
}

export const workerCommand: Command = {
  name: 'worker',
  summary: 'take sweep runs from a queue and train them, reporting to a lab server',
  usage: `usage: lab worker --queue redis://[[USER]:PASSWORD@]HOST:PORT --lab URL --token TOKEN [--concurrency N]

Pulls runs of sweeps from the queue, trains each in its own trainer process (resumed from the lab's
latest checkpoint of that run), and streams metrics and checkpoints to the lab's API. While the lab
is unreachable, what it has not stored waits in a bounded spool file on this machine.
  --queue URL        the lab's Redis (also LAB_QUEUE)
  --lab URL          the lab server, as \`lab serve\` printed it
  --token TOKEN      the worker token \`lab serve --queue\` printed (also LAB_WORKER_TOKEN)
  --concurrency N    runs trained at once (default 1)`,
  options: {
    queue: { type: 'string' },
    lab: { type: 'string' },
    token: { type: 'string' },
    concurrency: { type: 'string' },
  },
  run: runWorker,
};
