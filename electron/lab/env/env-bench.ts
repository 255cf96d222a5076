import { LEAF_TOKENS } from '#shared/env/token-vocabulary.ts';
import type { Bench, BenchReport } from '#lab/bench/registry.ts';
import { createExecutor } from '#lab/executor/executor.ts';
import { CodeEnv } from './code-env.ts';
import { Rng } from '#lab/random/rng.ts';
import { bundledProblems } from './test-problems.ts';

export interface EnvBenchOptions {
  /** Episodes without execution (masked stepping and state encoding only). */
  readonly maskedEpisodes?: number;
  /** Episodes whose programs the pooled executor runs. */
  readonly executedEpisodes?: number;
  /** Environments stepping at once in the executed run, so the worker pool has work queued. */
  readonly lanes?: number;
}

/** Random policy: a leaf half the time when one is allowed (else programs all run to max_steps). */
function policy(rng: Rng, mask: Uint8Array): number {
  if (rng.next() < 0.5) {
    const leaves = mask.map((v, i) => v & LEAF_TOKENS[i]!);
    const a = rng.pick(leaves);
    if (a >= 0) return a;
  }
  return rng.pick(mask);
}

async function rollouts(env: CodeEnv, rng: Rng, episodes: number): Promise<{ steps: number; tokens: number }> {
  let steps = 0;
  let tokens = 0;
  for (let e = 0; e < episodes; e++) {
    let { mask } = env.reset();
    for (let done = false; !done; steps++) ({ mask, done } = await env.step(policy(rng, mask)));
    tokens += env.programTokens.length;
  }
  return { steps, tokens };
}

export async function runEnvBench(options: EnvBenchOptions = {}) {
  const problems = bundledProblems('seed-train');
  const masked = options.maskedEpisodes ?? 5000;
  const executedEpisodes = options.executedEpisodes ?? 400;
  const lanes = options.lanes ?? 8;

  const bare = new CodeEnv({ problems, executor: null, seed: 1 });
  let started = performance.now();
  const m = await rollouts(bare, new Rng(2), masked);
  const maskedSeconds = (performance.now() - started) / 1000;

  const executor = createExecutor({ cacheSize: 0, warn: () => undefined });
  try {
    executor.warm();
    await executor.run({ code: 'def f():\n    return 0\n', functionName: 'f', tests: [{ args: [], expected: 0 }] });
    const envs = Array.from({ length: lanes }, (_, k) => new CodeEnv({ problems, executor, seed: 10 + k, timeoutMs: 200 }));
    started = performance.now();
    const per = Math.ceil(executedEpisodes / lanes);
    const results = await Promise.all(envs.map((env, k) => rollouts(env, new Rng(100 + k), per)));
    const execSeconds = (performance.now() - started) / 1000;
    const executed = envs.reduce((n, env) => n + env.memory.executed, 0);
    const steps = results.reduce((n, r) => n + r.steps, 0);
    return {
      masked: { episodes: masked, steps: m.steps, seconds: maskedSeconds, stepsPerSecond: m.steps / maskedSeconds, episodesPerSecond: masked / maskedSeconds, meanTokens: m.tokens / masked },
      executed: { episodes: per * lanes, steps, executed, seconds: execSeconds, episodesPerSecond: (per * lanes) / execSeconds, stepsPerSecond: steps / execSeconds, lanes },
      sandbox: executor.sandbox.kind,
    };
  } finally {
    await executor.close();
  }
}

const round = (x: number, digits = 1) => Number(x.toFixed(digits));

/** `lab bench env`: random-policy rollouts over the seed's training set, with and without the executor. */
export const envBench: Bench = {
  name: 'env',
  summary: 'masked env steps/s (no execution) and episodes/s with the pooled executor, random policy',
  async run(): Promise<BenchReport> {
    const r = await runEnvBench();
    return {
      name: 'env',
      json: r,
      rows: [
        ['masked steps', round(r.masked.stepsPerSecond), `steps/s (${r.masked.steps} steps, state + mask each, no execution)`],
        ['masked episodes', round(r.masked.episodesPerSecond), `episodes/s (mean ${round(r.masked.meanTokens)} tokens)`],
        ['executed episodes', round(r.executed.episodesPerSecond), `episodes/s with the pooled executor (${r.executed.executed} programs run, ${r.executed.lanes} envs at once)`],
        ['executed steps', round(r.executed.stepsPerSecond), 'steps/s with the pooled executor'],
        ['sandbox', r.sandbox, ''],
      ],
    };
  },
};
