import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '#shared/api/api-error.ts';
import { BullRunSource } from './bullmq-run-queue.ts';
import { callLab, type LabEndpoint } from './lab-http-client.ts';
import { runAttempt } from './run-attempt.ts';

export interface SweepWorkerOptions {
  queue: string;
  lab: LabEndpoint;
  token: string;
  concurrency: number;
  /** Lock and stall check of the queue (tests shorten them; see BullRunSourceOptions). */
  lockMs?: number;
  stalledCheckMs?: number;
  /** Undelivered bytes per run before its trainer is paused. */
  spoolMaxBytes?: number;
  log(line: string): void;
}

export class WorkerRefusedError extends Error {
  override name = 'WorkerRefusedError';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Scratch folders of workers that were killed: their runs were taken back by the queue. Best
 * effort: a killed worker's trainer can outlive it for a moment and still be writing its
 * checkpoint there (the removal then fails with ENOTEMPTY), so such a folder is left for a later
 * start instead of stopping this worker.
 */
export function removeStaleWorkDirs(root: string, log: (line: string) => void, remove = (dir: string) => rmSync(dir, { recursive: true, force: true })): void {
  if (!existsSync(root)) return;
  for (const name of readdirSync(root)) {
    const pid = Number(/^worker-(\d+)$/.exec(name)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    try {
      remove(join(root, name));
    } catch (error) {
      log(`left the scratch folder ${name} of a stopped worker for later: ${(error as Error).message}`);
    }
  }
}

/**
 * A sweep worker: checks that the queue and the lab both accept it, then pulls runs and trains each
 * in its own trainer process. Returns a stop function that hands unfinished runs back.
 */
export async function startSweepWorker(options: SweepWorkerOptions): Promise<{ stop(): Promise<void> }> {
  const source = new BullRunSource(options.queue, { ...(options.lockMs ? { lockMs: options.lockMs } : {}), ...(options.stalledCheckMs ? { stalledCheckMs: options.stalledCheckMs } : {}) });
  try {
    await source.check();
  } catch (error) {
    throw new WorkerRefusedError((error as Error).message);
  }
  try {
    await callLab(options.lab, 'worker.hello', { token: options.token });
  } catch (error) {
    if (error instanceof ApiError) throw new WorkerRefusedError(`the lab refused this worker: ${error.message}`);
    throw new WorkerRefusedError((error as Error).message);
  }
  const root = join(tmpdir(), 'rl-code-lab-workers');
  removeStaleWorkDirs(root, options.log);
  const workDir = join(root, `worker-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  const host = `${hostname()}/${process.pid}`;
  source.start(options.concurrency, async (job, signal) => {
    const outcome = await runAttempt(job, {
      lab: options.lab,
      token: options.token,
      host,
      workDir,
      spoolMaxBytes: options.spoolMaxBytes ?? 64 * 1024 * 1024,
      shutdown: signal,
      log: options.log,
    });
    options.log(`run ${job.runId}: ${outcome}`);
  });
  return {
    async stop() {
      await source.close();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
