/** What a queued run carries: which run, and its config (never a secret). */
export interface RunJob {
  /** Deterministic: a hash of (sweep, config, seed), so adding a run twice is a no-op. */
  jobId: string;
  runId: number;
  sweepId: number;
  config: Record<string, unknown>;
}

/**
 * The controller's side of a run queue. BullMQ on Redis implements it today; another backend
 * (NATS JetStream, a database table) would implement these four operations and RunSource.
 */
export interface RunQueue {
  /** Adds jobs; ids the queue already holds are left as they are. */
  add(jobs: readonly RunJob[]): Promise<void>;
  /** Of these jobs, those the queue holds no live copy of (lost, finished or given up on): they are re-added. */
  lost(jobs: readonly RunJob[]): Promise<RunJob[]>;
  /** Takes jobs off the queue when they wait; a job in a worker's hands stays (the lab refuses its writes). */
  remove(jobIds: readonly string[]): Promise<void>;
  /** Called whenever the queue's connection comes back (after a restart of Redis, say). */
  onReconnect(listener: () => void): void;
  close(): Promise<void>;
}

/** What a worker gets for one job: the job, and a signal that says the worker is shutting down. */
export type RunProcessor = (job: RunJob, shutdown: AbortSignal) => Promise<void>;

/** A worker's side: pulls jobs, at most `concurrency` at once, and keeps each one's lease alive. */
export interface RunSource {
  /** Fails when the queue refuses the connection (no or wrong password). */
  check(): Promise<void>;
  start(concurrency: number, processor: RunProcessor): void;
  /** Stops taking jobs; running ones are handed back to the queue. */
  close(): Promise<void>;
}
