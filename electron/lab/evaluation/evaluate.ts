import { CodeEnv } from '#lab/env/code-env.ts';
import type { Executor } from '#lab/executor/executor.ts';
import { createReward } from '#lab/rewards/create-reward.ts';
import { Rng } from '#lab/random/rng.ts';
import { runEpisode } from '#lab/training/episode-runner.ts';
import { explorationShares, RandomPolicy, type Policy } from '#lab/training/policies.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import type { Problem } from '#shared/problems/problem.ts';

export interface ProblemEvaluation {
  problem: string;
  episodes: number;
  successes: number;
  success_rate: number;
  /** What the policy writes with no exploration at all. */
  greedy_success: boolean;
  greedy_code: string;
  /** The shortest passing program seen, else the one that passed the most tests. */
  best_code: string;
  best_tests_passed: number;
  tests_total: number;
}

export interface EvaluationResult {
  agent: string;
  num_episodes: number;
  epsilon: number;
  success_rate: number;
  greedy_solved: number;
  problems: ProblemEvaluation[];
}

/**
 * The seed's evaluate.py: each problem `numEpisodes` times (with a little exploration, so a rate
 * means something for a deterministic network), plus one greedy episode; success rate per problem
 * and the best code found. Nothing learns here.
 */
export async function evaluatePolicy(options: {
  policy: Policy;
  agent: string;
  problems: Problem[];
  config: TrainingConfig;
  executor: Executor;
  numEpisodes: number;
  epsilon: number;
}): Promise<EvaluationResult> {
  const { policy, problems, config } = options;
  const env = new CodeEnv({
    stateLayout: config.environment.state_layout,
    problems,
    executor: options.executor,
    maxSteps: config.environment.max_steps,
    reward: createReward(config.reward),
    autoForced: config.environment.auto_forced,
  });
  const results: ProblemEvaluation[] = [];
  for (let p = 0; p < problems.length; p++) {
    const run = (epsilon: number) => runEpisode(env, policy, { problemIndex: p, epsilon, learn: false, keepSteps: false, trainFrequency: 1, stepsBefore: 0 });
    const greedy = await run(0);
    let successes = 0;
    let best = greedy.record;
    for (let i = 0; i < options.numEpisodes; i++) {
      const outcome = await run(options.epsilon);
      const r = outcome.record;
      if (r.success) successes++;
      const better = r.success
        ? !best.success || r.code.length < best.code.length
        : !best.success && r.testsPassed > best.testsPassed;
      if (better) best = r;
    }
    results.push({
      problem: problems[p]!.name ?? problems[p]!.function_name,
      episodes: options.numEpisodes,
      successes,
      success_rate: options.numEpisodes ? successes / options.numEpisodes : 0,
      greedy_success: greedy.record.success,
      greedy_code: greedy.record.code,
      best_code: best.code,
      best_tests_passed: best.testsPassed,
      tests_total: best.testsTotal,
    });
  }
  const episodes = results.reduce((n, r) => n + r.episodes, 0);
  return {
    agent: options.agent,
    num_episodes: options.numEpisodes,
    epsilon: options.epsilon,
    success_rate: episodes ? results.reduce((n, r) => n + r.successes, 0) / episodes : 0,
    greedy_solved: results.filter((r) => r.greedy_success).length,
    problems: results,
  };
}

export function randomPolicy(seed: number, config: TrainingConfig): RandomPolicy {
  return new RandomPolicy(new Rng(seed), explorationShares(config.agent));
}
