import type { Run } from '#lab/training/create-run.ts';

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
export async function evaluateAgent(options: {
  /** The run to evaluate: its agent acts, nothing learns. */
  run: Run;
  agent: string;
  numEpisodes: number;
  epsilon: number;
}): Promise<EvaluationResult> {
  const { run } = options;
  const problems = run.problems;
  const results: ProblemEvaluation[] = [];
  for (let p = 0; p < problems.length; p++) {
    const episode = (epsilon: number) => run.episode({ problemIndex: p, epsilon, learn: false, keepSteps: false, trainFrequency: 1, stepsBefore: 0 });
    const greedy = await episode(0);
    let successes = 0;
    let best = greedy.record;
    for (let i = 0; i < options.numEpisodes; i++) {
      const outcome = await episode(options.epsilon);
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
