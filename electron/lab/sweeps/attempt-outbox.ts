import { ApiError } from '#shared/api/api-error.ts';
import type { RunBatch } from '#shared/api/sweeps-api.ts';
import { LabUnreachableError } from './lab-http-client.ts';
import { Spool } from './spool.ts';

export interface OutboxItem {
  seq: number;
  emitted_at: number;
  batch: RunBatch;
}

export interface OutboxOptions {
  spoolPath: string;
  /** Above this many undelivered bytes the producer is asked to pause; below half of it, to go on. */
  maxBytes: number;
  send(item: OutboxItem): Promise<void>;
  onBackpressure(paused: boolean): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An attempt's writes to the lab, in order, each with its sequence number, delivered one at a time
 * and retried until the lab stores it. While the lab is away they wait in a bounded spool file.
 * A refusal (superseded attempt, revoked token) ends the outbox: `failure` says why.
 */
export class AttemptOutbox {
  private readonly spool: Spool<OutboxItem>;
  private seq = 0;
  private running = false;
  private paused = false;
  private idle: (() => void)[] = [];
  failure: ApiError | undefined;
  private failureListeners: ((error: ApiError) => void)[] = [];
  /** How many sends failed because the lab did not answer (for the worker's log). */
  retries = 0;

  constructor(private readonly options: OutboxOptions) {
    this.spool = new Spool(options.spoolPath);
  }

  get pendingBytes(): number {
    return this.spool.bytes;
  }

  push(batch: RunBatch, emittedAt = Date.now()): void {
    if (this.failure) return;
    this.spool.push({ seq: ++this.seq, emitted_at: emittedAt, batch });
    if (!this.paused && this.spool.bytes > this.options.maxBytes) {
      this.paused = true;
      this.options.onBackpressure(true);
    }
    void this.pump();
  }

  onFailure(listener: (error: ApiError) => void): void {
    this.failureListeners.push(listener);
  }

  /** Resolves once everything pushed so far is stored (or the outbox failed). */
  drained(): Promise<void> {
    if (this.spool.length === 0 || this.failure) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    let backoff = 100;
    try {
      for (let item = this.spool.peek(); item && !this.failure; item = this.spool.peek()) {
        try {
          await this.options.send(item);
          this.spool.shift();
          backoff = 100;
          if (this.paused && this.spool.bytes < this.options.maxBytes / 2) {
            this.paused = false;
            this.options.onBackpressure(false);
          }
        } catch (error) {
          if (error instanceof ApiError && error.code !== 'internal') {
            this.failure = error;
            for (const listener of this.failureListeners) listener(error);
          } else {
            // Unreachable, or an internal error that may pass (a busy database): the same seq again.
            this.retries += error instanceof LabUnreachableError ? 1 : 0;
            await sleep(backoff);
            backoff = Math.min(backoff * 2, 2000);
          }
        }
      }
    } finally {
      this.running = false;
      if (this.spool.length === 0 || this.failure) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  close(): void {
    this.spool.close();
  }
}
