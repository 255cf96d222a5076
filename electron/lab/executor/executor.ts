import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample, Tier } from '#shared/executor/sample.ts';
import type { SampleResult } from '#shared/executor/verdict.ts';
import { RESOURCES_DIR } from '#lab/paths.ts';
import { resolvePython } from '#lab/python/interpreter.ts';
import { ResultCache, sampleKey } from './result-cache.ts';
import { prepareSample } from './sample-assembler.ts';
import { DEFAULT_LIMITS, detectSandbox, workerCommand, type SandboxInfo, type SandboxKind, type WorkerLimits } from './sandbox.ts';
import { WorkerPool } from './worker-pool.ts';

export interface ExecutorOptions {
  /** Interpreter override (a setting or LAB_PYTHON); resolved once to its real path. */
  readonly python?: string;
  /** 'auto' picks bwrap, else unshare, else none (loudly). */
  readonly sandbox?: SandboxKind | 'auto';
  /** Pooled-tier workers (default: 2, the cores we plan for). */
  readonly pooledWorkers?: number;
  /** Isolated-tier zygotes (default: 2). */
  readonly isolatedWorkers?: number;
  /** Per-test wall-clock budget when a sample sets none. */
  readonly timeoutMs?: number;
  readonly batchSize?: number;
  readonly limits?: Partial<WorkerLimits>;
  /** Results kept in the (code, tests) cache; 0 turns it off. */
  readonly cacheSize?: number;
  readonly maxSamplesPerWorker?: number;
  /** Where a warning goes (default: stderr), e.g. when no sandbox can be made. */
  readonly warn?: (message: string) => void;
}

export const DEFAULT_TIMEOUT_MS = 1000;
const UID_BLOCK = 1000;
const HARNESS_DIR = join(RESOURCES_DIR, 'python');

/**
 * Judges samples: the two tiers of docs/architecture.md ("Executor tiers") behind one call. Pooled (default) is for
 * grammar-generated code; isolated forks a fresh process per sample from a warm zygote, for user code.
 */
export class Executor {
  readonly sandbox: SandboxInfo;
  readonly python: string;
  readonly cache: ResultCache;
  /** Samples sent to a pool and not yet answered, by cache key. */
  private readonly running = new Map<string, Promise<SampleResult>>();
  private readonly pools = new Map<Tier, WorkerPool>();
  private readonly limits: WorkerLimits;
  private readonly bareScratch: string;
  private closed = false;
  private nextUid = 0;
  /**
   * Host uids this executor's workers run as: a block of its own, one uid per worker started, so
   * RLIMIT_NPROC counts one worker alone and a test can find every process a sample left behind.
   */
  readonly uidRange: readonly [number, number];

  constructor(private readonly options: ExecutorOptions = {}) {
    this.python = resolvePython(options.python).path;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.cache = new ResultCache(options.cacheSize ?? 10_000);
    const block = 3_000_000 + randomInt(0, 1000) * UID_BLOCK;
    this.uidRange = [block, block + UID_BLOCK];
    this.sandbox = detectSandbox(this.spec(), options.sandbox ?? 'auto');
    this.bareScratch = mkdtempSync(join(tmpdir(), 'lab-executor-'));
    if (this.sandbox.kind === 'none') {
      (options.warn ?? ((m) => process.stderr.write(`${m}\n`)))(
        `WARNING: executor without a sandbox (${this.sandbox.note}). Only code that passes the in-process screen will run; ` +
          'everything else is refused. Install bubblewrap (apt-get install -y bubblewrap) to run arbitrary code.',
      );
    }
  }

  private spec(uid = 0) {
    return { python: this.python, harnessDir: HARNESS_DIR, limits: this.limits, uid };
  }

  private pool(tier: Tier): WorkerPool {
    let pool = this.pools.get(tier);
    if (!pool) {
      pool = new WorkerPool({
        tier,
        size: (tier === 'pooled' ? this.options.pooledWorkers : this.options.isolatedWorkers) ?? 2,
        batchSize: this.options.batchSize ?? (tier === 'pooled' ? 32 : 8),
        maxSamplesPerWorker: this.options.maxSamplesPerWorker ?? 50_000,
        startTimeoutMs: 20_000,
        command: () => workerCommand(this.sandbox.kind, this.spec(this.uidRange[0] + (this.nextUid++ % UID_BLOCK)), this.bareScratch),
      });
      this.pools.set(tier, pool);
    }
    return pool;
  }

  /** Starts a tier's workers ahead of the first sample. */
  warm(tier: Tier = 'pooled'): void {
    this.pool(tier).warm();
  }

  run(sample: Sample, tier: Tier = 'pooled'): Promise<SampleResult> {
    if (this.closed) return Promise.reject(new Error('the executor is closed'));
    const timeoutMs = sample.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const key = sampleKey(sample, timeoutMs, tier);
    const hit = this.cache.get(key);
    if (hit) return Promise.resolve(hit);
    // The same sample already running (another environment finished the same program at the same
    // step): it runs once, and the later caller is answered as from the cache, as it would be after
    // (with the cache off, every call runs).
    const running = this.running.get(key);
    if (running) return running.then((result) => ({ ...result, cached: true }));
    const caching = (this.options.cacheSize ?? 10_000) > 0;
    const prepared = prepareSample(sample, timeoutMs);
    const pending = this.pool(tier).submit(prepared).then((result) => {
      this.cache.set(key, result);
      return result;
    });
    if (!caching) return pending;
    this.running.set(key, pending);
    const forget = () => this.running.delete(key);
    pending.then(forget, forget);
    return pending;
  }

  runMany(samples: readonly Sample[], tier: Tier = 'pooled'): Promise<SampleResult[]> {
    return Promise.all(samples.map((s) => this.run(s, tier)));
  }

  /** Pids of every worker process now running, both tiers. */
  workerPids(): number[] {
    return [...this.pools.values()].flatMap((p) => p.pids());
  }

  stats(): Record<Tier, WorkerPool['stats'] | undefined> {
    return { pooled: this.pools.get('pooled')?.stats, isolated: this.pools.get('isolated')?.stats };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    rmSync(this.bareScratch, { recursive: true, force: true });
  }
}

export function createExecutor(options: ExecutorOptions = {}): Executor {
  return new Executor(options);
}
