import type { Tier } from '#shared/executor/sample.ts';
import type { SampleResult } from '#shared/executor/verdict.ts';
import type { WorkerCommand } from './sandbox.ts';
import { SampleAssembler, type PreparedSample } from './sample-assembler.ts';
import type { SampleRequest, WorkerFrame } from './worker-messages.ts';
import { WorkerProcess, type WorkerExit } from './worker-process.ts';

/** A sample the harness would not run: it needs a sandbox and none could be made. */
export class SandboxRefusedError extends Error {
  override name = 'SandboxRefusedError';
}

/** Workers keep dying before they are ready: the executor cannot run anything here. */
export class WorkerStartError extends Error {
  override name = 'WorkerStartError';
}

export interface PoolOptions {
  readonly tier: Tier;
  readonly size: number;
  /** Samples sent per round trip (many tiny suites per message is what makes the pooled tier fast). */
  readonly batchSize: number;
  /** Retire a worker after this many samples (bounds slow leaks and fragmentation). */
  readonly maxSamplesPerWorker: number;
  /** The command for the next worker (a fresh uid each time). */
  readonly command: () => WorkerCommand;
  /** Wall-clock budget for a worker to say it is ready. */
  readonly startTimeoutMs: number;
}

interface Job {
  readonly prepared: PreparedSample;
  readonly resolve: (result: SampleResult) => void;
  readonly reject: (error: Error) => void;
  /** Times the job was handed back because its worker died on an earlier sample of the batch. */
  requeued: number;
}

interface Batch {
  readonly seq: number;
  readonly jobs: Job[];
  readonly assemblers: SampleAssembler[];
  /** Samples answered so far; the next one is running. */
  done: number;
}

interface Slot {
  readonly worker: WorkerProcess;
  /** Said it is ready (stays true); a worker that exits without ever being ready failed to start. */
  ready: boolean;
  /** Being killed on purpose after a batch (poisoned, or ran its share). */
  retiring: boolean;
  batch: Batch | undefined;
  lastProgress: number;
  timer: NodeJS.Timeout | undefined;
  /** The budget the running timer was set for. */
  armedBudget: number;
  samplesRun: number;
  readonly exited: Promise<void>;
}

const MAX_REQUEUES = 3;
const MAX_START_FAILURES = 3;

/**
 * Long-lived workers of one tier. Every job is answered exactly once: with its result, with a
 * timeout/crash verdict when its worker dies under it, or (only when workers cannot start at all,
 * or the pool is closed) with a rejection. Jobs queued behind a dying sample go back to the front
 * of the queue and run on the replacement worker.
 */
export class WorkerPool {
  private readonly queue: Job[] = [];
  private readonly slots = new Set<Slot>();
  private seq = 0;
  private closed = false;
  private startFailures = 0;
  private broken: WorkerStartError | undefined;
  /** Counters for tests and the benchmark. */
  readonly stats = { started: 0, killedForTimeout: 0, retired: 0, crashed: 0 };

  constructor(private readonly options: PoolOptions) {}

  submit(prepared: PreparedSample): Promise<SampleResult> {
    if (this.closed) return Promise.reject(new Error('the executor is closed'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.queue.push({ prepared, resolve, reject, requeued: 0 });
      this.pump();
    });
  }

  /** Pids of the worker processes now running (for leak checks). */
  pids(): number[] {
    return [...this.slots].map((s) => s.worker.pid).filter((p): p is number => p !== undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the executor is closed'));
    const exits = [...this.slots].map((slot) => {
      slot.worker.kill('the executor closed');
      return slot.exited;
    });
    await Promise.all(exits);
  }

  /** Starts the workers now rather than on the first sample. */
  warm(): void {
    this.started = true;
    this.pump();
  }

  private started = false;

  /** Hands queued jobs to idle workers; keeps `size` workers alive once the pool is in use. */
  private pump(): void {
    if (this.closed || this.broken) return;
    if (this.queue.length) this.started = true;
    for (const slot of this.slots) {
      if (!this.queue.length) break;
      if (slot.ready && !slot.retiring && !slot.batch) this.dispatch(slot);
    }
    while (this.started && this.slots.size < this.options.size) this.spawn();
  }

  private spawn(): void {
    let resolveExit!: () => void;
    const exited = new Promise<void>((r) => (resolveExit = r));
    const slot: Slot = {
      worker: new WorkerProcess(this.options.command(), {
        frame: (frame) => this.onFrame(slot, frame),
        exit: (exit) => {
          this.onExit(slot, exit);
          resolveExit();
        },
      }),
      ready: false,
      retiring: false,
      batch: undefined,
      lastProgress: Date.now(),
      timer: undefined,
      armedBudget: 0,
      samplesRun: 0,
      exited,
    };
    this.stats.started++;
    this.slots.add(slot);
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      if (!slot.ready) slot.worker.kill(`it did not start within ${this.options.startTimeoutMs} ms`);
    }, this.options.startTimeoutMs);
  }

  private dispatch(slot: Slot): void {
    const share = Math.ceil(this.queue.length / this.options.size);
    const jobs = this.queue.splice(0, Math.max(1, Math.min(this.options.batchSize, share)));
    const batch: Batch = {
      seq: ++this.seq,
      jobs,
      assemblers: jobs.map((job) => new SampleAssembler(job.prepared, this.options.tier)),
      done: 0,
    };
    slot.batch = batch;
    const samples: SampleRequest[] = jobs.map(({ prepared: { sample, timeoutMs } }) => {
      const asserts = sample.assertTests ?? [];
      return {
        code: sample.code,
        fn: sample.functionName,
        tests: sample.tests.map((t) => t.args as unknown[]),
        ...(asserts.length ? { asserts: [...asserts] } : {}),
        // Assert tests are arbitrary dataset code: forked in either tier (the harness insists too).
        isolate: this.options.tier === 'isolated' || asserts.length > 0,
        cpu: Math.ceil((timeoutMs * Math.max(1, sample.tests.length + asserts.length)) / 1000) + 1,
      };
    });
    slot.worker.send({ seq: batch.seq, type: 'run', samples });
    slot.lastProgress = Date.now();
    this.watch(slot);
  }

  /**
   * The per-test wall clock. One timer per worker, re-armed only when it fires: each frame from the
   * worker moves `lastProgress`, and the current test has overrun once the time since the last frame
   * passes its sample's budget. Before killing, one turn of the event loop lets frames that already
   * arrived (while we were busy) be read, so a late read never turns into a false timeout.
   */
  private watch(slot: Slot): void {
    if (slot.timer || !slot.batch) return;
    const job = slot.batch.jobs[slot.batch.done];
    if (!job) return;
    const budget = job.prepared.timeoutMs;
    slot.armedBudget = budget;
    const wait = Math.max(1, slot.lastProgress + budget - Date.now());
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      if (!slot.batch) return;
      const current = slot.batch.jobs[slot.batch.done];
      if (current && Date.now() - slot.lastProgress >= current.prepared.timeoutMs) {
        setImmediate(() => {
          const still = slot.batch?.jobs[slot.batch.done];
          if (still && Date.now() - slot.lastProgress >= still.prepared.timeoutMs) {
            this.stats.killedForTimeout++;
            slot.worker.kill('timeout');
          } else this.watch(slot);
        });
      } else this.watch(slot);
    }, wait);
  }

  /** The next sample may have a shorter budget than the one the timer was set for. */
  private rearmIfSooner(slot: Slot): void {
    const next = slot.batch?.jobs[slot.batch.done];
    if (slot.timer && next && next.prepared.timeoutMs < slot.armedBudget) {
      clearTimeout(slot.timer);
      slot.timer = undefined;
      this.watch(slot);
    }
  }

  private onFrame(slot: Slot, frame: WorkerFrame): void {
    slot.lastProgress = Date.now();
    if ('type' in frame && frame.type === 'ready') {
      slot.ready = true;
      this.startFailures = 0;
      clearTimeout(slot.timer);
      slot.timer = undefined;
      this.pump();
      return;
    }
    const batch = slot.batch;
    if (!batch || frame.seq !== batch.seq) {
      slot.worker.kill(`it answered request ${String(frame.seq)} while ${batch ? batch.seq : 'none'} was running`);
      return;
    }
    try {
      if ('type' in frame && frame.type === 'test') {
        if (frame.s !== batch.done) throw new Error(`a test frame for sample ${frame.s} while ${batch.done} runs`);
        batch.assemblers[frame.s]!.addTest(frame);
      } else if ('type' in frame && frame.type === 'sample') {
        if (frame.s !== batch.done) throw new Error(`a sample frame for ${frame.s} while ${batch.done} runs`);
        const job = batch.jobs[batch.done]!;
        const assembler = batch.assemblers[batch.done]!;
        batch.done++;
        this.rearmIfSooner(slot);
        if (frame.mode === 'refused') job.reject(new SandboxRefusedError(frame.msg ?? 'refused: no sandbox'));
        else job.resolve(assembler.finish(frame));
      } else if ('result' in frame) {
        if (batch.done !== batch.jobs.length) throw new Error(`the batch ended after ${batch.done} of ${batch.jobs.length} samples`);
        this.endBatch(slot, frame.result.poisoned ? 'a sample poisoned it' : undefined);
      } else {
        throw new Error(`harness error ${frame.error.name}: ${frame.error.message}`);
      }
    } catch (error) {
      slot.worker.kill(`it broke the protocol: ${(error as Error).message}`);
    }
  }

  private endBatch(slot: Slot, retireBecause: string | undefined): void {
    const batch = slot.batch!;
    slot.batch = undefined;
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.samplesRun += batch.jobs.length;
    const reason = retireBecause ?? (slot.samplesRun >= this.options.maxSamplesPerWorker ? 'it ran its share of samples' : undefined);
    if (reason) {
      this.stats.retired++;
      slot.retiring = true;
      slot.worker.kill(reason);
    }
    this.pump();
  }

  private onExit(slot: Slot, exit: WorkerExit): void {
    clearTimeout(slot.timer);
    this.slots.delete(slot);
    const batch = slot.batch;
    slot.batch = undefined;
    if (batch) {
      const current = batch.jobs[batch.done];
      const rest = batch.jobs.slice(batch.done + 1);
      if (current) this.answerDeadJob(current, batch.assemblers[batch.done]!, exit);
      for (const job of rest.reverse()) {
        if (this.closed) job.reject(new Error('the executor is closed'));
        else if (++job.requeued > MAX_REQUEUES) {
          job.resolve(new SampleAssembler(job.prepared, this.options.tier).abort('crash', 'its worker died under other samples too often'));
        } else this.queue.unshift(job);
      }
    }
    if (!slot.ready && !this.closed) {
      if (++this.startFailures >= MAX_START_FAILURES) {
        this.broken = new WorkerStartError(
          `executor workers keep failing to start (${exit.killedFor ?? `exit ${exit.code ?? exit.signal}`}): ${exit.diagnostics.trim().slice(-800)}`,
        );
        for (const job of this.queue.splice(0)) job.reject(this.broken);
        return;
      }
    }
    this.pump();
  }

  private answerDeadJob(job: Job, assembler: SampleAssembler, exit: WorkerExit): void {
    if (this.closed) {
      job.reject(new Error('the executor is closed'));
      return;
    }
    if (exit.killedFor === 'timeout') {
      job.resolve(assembler.abort('timeout', `no answer within ${job.prepared.timeoutMs} ms`));
      return;
    }
    this.stats.crashed++;
    const how = exit.killedFor ? `killed: ${exit.killedFor}` : exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
    job.resolve(assembler.abort('crash', `the worker ${how}`));
  }
}
