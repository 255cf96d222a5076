import { Rng } from '#lab/random/rng.ts';
import { curriculumOrder, curriculumPool } from '#lab/rewards/curriculum-reward.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import type { Problem } from '#shared/problems/problem.ts';

/**
 * Which problem an episode trains on: a fresh seeded shuffle of the pool every pass, computed from
 * the episode number alone, so a resumed run picks exactly what the uninterrupted one would have.
 */
export function problemForEpisode(episode: number, pool: readonly number[], seed: number): number {
  const pass = Math.floor((episode - 1) / pool.length);
  const rng = new Rng((seed * 7919 + pass) >>> 0);
  const order = [...pool];
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order[(episode - 1) % pool.length]!;
}

/**
 * Which problem an episode trains on when problems the greedy policy already passes are drawn less
 * often (training.solved_problem_weight < 1): a weighted draw, seeded by the episode number, over
 * the pool, weight 1 for a problem the last greedy evaluation failed and `solvedWeight` for one it
 * passed. Once a problem is solved, its episodes only add variants of the solution (the trie forbids
 * repeating it), so the time goes to problems still open. Exact on resume: the inputs are the
 * episode, the seed and the checkpointed list of greedy-solved problems.
 */
export function focusedProblem(episode: number, pool: readonly number[], seed: number, solved: readonly number[], solvedWeight: number): number {
  const rng = new Rng((seed * 104_729 + episode * 2_654_435_761) >>> 0);
  const open = pool.some((p) => !solved.includes(p));
  const weights = pool.map((p) => (open && solved.includes(p) ? solvedWeight : 1));
  let r = rng.next() * weights.reduce((a, b) => a + b, 0);
  for (let k = 0; k < pool.length; k++) if ((r -= weights[k]!) < 0) return pool[k]!;
  return pool[pool.length - 1]!;
}

/** The problem of a training episode under the config's curriculum and focus settings. */
export function problemSchedule(config: TrainingConfig, problems: readonly Problem[], seed: number) {
  const order = curriculumOrder(problems);
  const total = config.training.num_episodes;
  const solvedWeight = config.training.solved_problem_weight;
  return (episode: number, greedySolved: readonly number[]): number => {
    const pool = config.reward.type === 'curriculum' ? curriculumPool(order, (episode - 1) / total) : order;
    return solvedWeight < 1 ? focusedProblem(episode, pool, seed, greedySolved, solvedWeight) : problemForEpisode(episode, pool, seed);
  };
}
