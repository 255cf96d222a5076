import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { Sample } from '#shared/executor/sample.ts';
import { createExecutor } from '#lab/executor/executor.ts';

export interface ExecutorBenchOptions {
  /** Samples through the pooled tier (tiny suites of 3 tests). */
  readonly pooledSamples?: number;
  readonly isolatedSamples?: number;
  readonly baselineSamples?: number;
  readonly python?: string;
}

export interface ThroughputRow {
  readonly samples: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Samples whose verdict was not `passed` (should be 0: every bench program is correct). */
  readonly failed: number;
}

export interface ExecutorBenchResult {
  readonly pooled: ThroughputRow;
  readonly isolated: ThroughputRow;
  /** One fresh interpreter process per sample, `cores` at a time (what common harnesses do). */
  readonly baseline: ThroughputRow;
  readonly ratios: { readonly pooledVsBaseline: number; readonly isolatedVsBaseline: number };
  readonly sandbox: string;
  readonly cores: number;
  readonly python: string;
}

/** Distinct tiny programs (distinct so the cache never answers), each with a 3-test suite. */
export function benchSamples(count: number, offset = 0): Sample[] {
  return Array.from({ length: count }, (_, k) => ({
    code: `def solve(xs):\n    total = 0\n    for x in xs:\n        total += x\n    return total + ${k + offset} - ${k + offset}\n`,
    functionName: 'solve',
    tests: [
      { args: [[1, 2, 3]], expected: 6 },
      { args: [[]], expected: 0 },
      { args: [[-5, 5, 10]], expected: 10 },
    ],
  }));
}

/** The process-per-sample baseline: a script that defines the function, runs the tests, prints JSON. */
function baselineScript(sample: Sample): string {
  const calls = sample.tests.map((t) => `${sample.functionName}(*${JSON.stringify(t.args)})`).join(', ');
  return `${sample.code}\nimport json\nprint(json.dumps([${calls}]))\n`;
}

function runOnce(python: string, sample: Sample): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(python, ['-I', '-c', baselineScript(sample)], { stdio: ['ignore', 'pipe', 'ignore'], env: { PATH: '/usr/bin:/bin' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => {
      try {
        const got = JSON.parse(out) as unknown[];
        resolve(code === 0 && JSON.stringify(got) === JSON.stringify(sample.tests.map((t) => t.expected)));
      } catch {
        resolve(false);
      }
    });
  });
}

async function baseline(python: string, samples: Sample[], parallel: number): Promise<ThroughputRow> {
  const started = performance.now();
  let next = 0;
  let failed = 0;
  const lanes = Array.from({ length: parallel }, async () => {
    while (next < samples.length) {
      const sample = samples[next++]!;
      if (!(await runOnce(python, sample))) failed++;
    }
  });
  await Promise.all(lanes);
  const seconds = (performance.now() - started) / 1000;
  return { samples: samples.length, seconds, perSecond: samples.length / seconds, failed };
}

async function timed(run: () => Promise<{ verdict: string }[]>, count: number): Promise<ThroughputRow> {
  const started = performance.now();
  const results = await run();
  const seconds = (performance.now() - started) / 1000;
  return { samples: count, seconds, perSecond: count / seconds, failed: results.filter((r) => r.verdict !== 'passed').length };
}

/**
 * Executor throughput, all three measured in one run on the same kind of samples: the pooled tier
 * (tiny suites per second), the isolated tier (fresh forked process per sample) and the
 * process-per-sample baseline. Workers are started and warmed before the clock runs.
 */
export async function runExecutorBench(options: ExecutorBenchOptions = {}): Promise<ExecutorBenchResult> {
  const cores = availableParallelism();
  const executor = createExecutor({ cacheSize: 0, python: options.python, pooledWorkers: cores, isolatedWorkers: cores });
  try {
    const warmup = benchSamples(64, 10_000_000);
    await executor.runMany(warmup, 'pooled');
    await executor.runMany(warmup, 'isolated');
    const pooledSamples = benchSamples(options.pooledSamples ?? 20_000);
    const pooled = await timed(() => executor.runMany(pooledSamples, 'pooled'), pooledSamples.length);
    const isolatedSamples = benchSamples(options.isolatedSamples ?? 1_000, 1_000_000);
    const isolated = await timed(() => executor.runMany(isolatedSamples, 'isolated'), isolatedSamples.length);
    const base = await baseline(executor.python, benchSamples(options.baselineSamples ?? 60, 2_000_000), cores);
    return {
      pooled,
      isolated,
      baseline: base,
      ratios: { pooledVsBaseline: pooled.perSecond / base.perSecond, isolatedVsBaseline: isolated.perSecond / base.perSecond },
      sandbox: executor.sandbox.kind,
      cores,
      python: executor.python,
    };
  } finally {
    await executor.close();
  }
}
