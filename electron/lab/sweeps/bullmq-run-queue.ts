import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { parseRedisUrl, type RedisTarget } from './redis-url.ts';
import type { RunJob, RunProcessor, RunQueue, RunSource } from './run-queue.ts';

/** Every key lives under one hash-tagged prefix, so an ACL user can be limited to `{lab}*`. */
export const QUEUE_PREFIX = '{lab}';
export const QUEUE_NAME = 'runs';

interface JobData {
  run_id: number;
  sweep_id: number;
  config: Record<string, unknown>;
}

function connection(target: RedisTarget) {
  // Workers must wait out a Redis restart rather than fail their commands.
  return { ...target, maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(200 * times, 2000) };
}

/** Jobs retry after a worker error or shutdown; stalls (a killed worker) are handled by lock expiry. */
const JOB_OPTIONS = { attempts: 1000, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: false, removeOnFail: false } as const;

const LIVE_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/** The controller's side of BullMQ: the lab server adds, checks and removes runs. */
export class BullRunQueue implements RunQueue {
  private readonly queue: Queue;
  private readonly watch: Redis;
  private readonly reconnectListeners: (() => void)[] = [];

  constructor(url: string) {
    const target = parseRedisUrl(url);
    this.queue = new Queue(QUEUE_NAME, { connection: connection(target), prefix: QUEUE_PREFIX, defaultJobOptions: JOB_OPTIONS });
    this.queue.on('error', () => {}); // reconnects on its own; the watch connection reports outages
    this.watch = new Redis({ ...connection(target), lazyConnect: false });
    let connectedOnce = false;
    this.watch.on('error', () => {});
    this.watch.on('ready', () => {
      if (connectedOnce) for (const listener of this.reconnectListeners) listener();
      connectedOnce = true;
    });
  }

  async add(jobs: readonly RunJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue.addBulk(
      jobs.map((job) => ({ name: 'run', data: { run_id: job.runId, sweep_id: job.sweepId, config: job.config } satisfies JobData, opts: { jobId: job.jobId } })),
    );
  }

  async lost(jobs: readonly RunJob[]): Promise<RunJob[]> {
    const lost: RunJob[] = [];
    for (const job of jobs) {
      const held = await this.queue.getJob(job.jobId);
      const state = held ? await held.getState() : 'unknown';
      if (LIVE_STATES.has(state)) continue;
      // A completed or failed copy would turn the re-add into a no-op: it goes first.
      if (held) await held.remove().catch(() => {});
      lost.push(job);
    }
    return lost;
  }

  async remove(jobIds: readonly string[]): Promise<void> {
    for (const id of jobIds) {
      const job = await this.queue.getJob(id);
      if (job && (await job.getState()) !== 'active') await job.remove().catch(() => {});
    }
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  async close(): Promise<void> {
    this.watch.disconnect();
    await this.queue.close();
  }
}

export interface BullRunSourceOptions {
  /** How long a job's lock lasts without renewal: a killed worker's job is taken back after it. */
  lockMs?: number;
  /** How often the queue looks for jobs whose lock expired. */
  stalledCheckMs?: number;
}

/** The worker's side of BullMQ. */
export class BullRunSource implements RunSource {
  private readonly target: RedisTarget;
  private worker: Worker | undefined;
  private readonly shutdown = new AbortController();

  constructor(
    url: string,
    private readonly options: BullRunSourceOptions = {},
  ) {
    this.target = parseRedisUrl(url);
  }

  async check(): Promise<void> {
    const client = new Redis({ ...this.target, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5000 });
    // The first error says why (WRONGPASS, NOAUTH, ECONNREFUSED); later ones only that the connection closed.
    let first: Error | undefined;
    client.on('error', (error: Error) => (first ??= error));
    try {
      await client.connect();
      await client.ping();
    } catch (error) {
      throw new Error(`the queue at ${this.target.host}:${this.target.port} refused this worker: ${(first ?? (error as Error)).message}`);
    } finally {
      client.disconnect();
    }
  }

  start(concurrency: number, processor: RunProcessor): void {
    const lockDuration = this.options.lockMs ?? 30_000;
    this.worker = new Worker(
      QUEUE_NAME,
      async (job: Job<JobData>) => {
        await processor({ jobId: job.id!, runId: job.data.run_id, sweepId: job.data.sweep_id, config: job.data.config }, this.shutdown.signal);
        if (this.shutdown.signal.aborted) throw new Error('the worker shut down before the run ended; it goes back to the queue');
      },
      {
        connection: connection(this.target),
        prefix: QUEUE_PREFIX,
        concurrency,
        lockDuration,
        stalledInterval: this.options.stalledCheckMs ?? lockDuration,
        // A run may lose many workers (kill -9, power loss) and still finish: it is resumed, not dropped.
        maxStalledCount: 1000,
      },
    );
    this.worker.on('error', () => {});
  }

  async close(): Promise<void> {
    this.shutdown.abort();
    await this.worker?.close();
  }
}
