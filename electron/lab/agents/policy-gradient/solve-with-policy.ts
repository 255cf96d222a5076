import { CodeEnv } from '#lab/env/code-env.ts';
import { ProgramMemory } from '#lab/env/program-memory.ts';
import { stateSizeOf } from '#lab/env/state-encoding.ts';
import type { PolicyNetwork } from '#lab/models/policy-network.ts';
import { Rng } from '#lab/random/rng.ts';
import { createReward } from '#lab/rewards/create-reward.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import { TOKENS } from '#shared/env/token-vocabulary.ts';
import type { Problem } from '#shared/problems/problem.ts';
import type { Sample } from '#shared/executor/sample.ts';
import type { SampleResult } from '#shared/executor/verdict.ts';
import type { PgConfig } from './pg-config.ts';
import { PgLearner, type PgStep } from './pg-learner.ts';

const IS_PARAM = TOKENS.map((t) => t.kind === 'param');

export interface PolicySolveOptions {
  readonly problem: Problem;
  readonly executor: { run(sample: Sample, tier?: 'pooled'): Promise<SampleResult> };
  /** Executed programs allowed; a program is never executed twice. */
  readonly budget: number;
  /** Environment and reward settings (max_steps, auto_forced, test timeout). */
  readonly config: TrainingConfig;
  readonly pg: PgConfig;
  /** The network to start from; it is trained in place (pass a copy to keep the original). */
  readonly network: PolicyNetwork;
  readonly seed: number;
}

export interface PolicySolveResult {
  readonly solved: boolean;
  readonly executed: number;
  readonly episodes: number;
  readonly updates: number;
  readonly program: string | null;
  readonly tokens: readonly number[] | null;
}

/**
 * Solves one problem by sampling programs from the policy without repeats (the environment's prefix
 * tree masks every subtree already executed, so each episode ends in a new program) while the
 * policy learns from the problem's own tests (priority-queue or risk-seeking updates), until a
 * program passes every test or the budget of executed programs is spent.
 */
export async function solveWithPolicy(o: PolicySolveOptions): Promise<PolicySolveResult> {
  const layout = o.network.shape.inputSize === stateSizeOf('signatures') ? 'signatures' : 'seed';
  if (o.network.shape.inputSize !== stateSizeOf(layout)) throw new Error(`the policy network takes ${o.network.shape.inputSize} inputs, which no state layout has`);
  const memory = new ProgramMemory(true);
  const env = new CodeEnv({
    problems: [o.problem],
    executor: o.executor,
    maxSteps: o.config.environment.max_steps,
    reward: createReward(o.config.reward),
    seed: o.seed,
    autoForced: o.config.environment.auto_forced,
    avoidRepeats: true,
    memory,
    stateLayout: layout,
    timeoutMs: o.config.environment.test_timeout_ms,
  });
  const learner = new PgLearner(o.network, o.pg, new Rng(o.seed));
  let episodes = 0;
  while (memory.executed < o.budget && !memory.root(0).exhausted) {
    episodes++;
    let { state, mask, grammarMask } = env.reset(0, { avoidRepeats: true });
    const steps: PgStep[] = [];
    for (;;) {
      const { action } = learner.act(state, mask);
      steps.push({ state, mask: grammarMask, action });
      const result = await env.step(action);
      if (!result.done) {
        ({ state, mask, grammarMask } = result);
        continue;
      }
      const { testsPassed = 0, testsTotal = 0, code = '' } = result.info;
      const tokens = [...env.programTokens];
      if (testsTotal > 0 && testsPassed === testsTotal) {
        return { solved: true, executed: memory.executed, episodes, updates: learner.updates, program: code, tokens };
      }
      const readsParameter = tokens.some((t) => IS_PARAM[t]);
      learner.finish({ steps, score: readsParameter && testsTotal > 0 ? testsPassed / testsTotal : 0, key: tokens.join(' '), length: tokens.length });
      break;
    }
  }
  return { solved: false, executed: memory.executed, episodes, updates: learner.updates, program: null, tokens: null };
}
