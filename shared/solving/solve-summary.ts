import type { SolveAgentSummary } from './solve-run.ts';

/** The fields of a result the summary reads (the CLI's results carry no problem index). */
interface CountedResult {
  agent: string;
  solved: boolean;
  samples_executed: number;
  seconds: number;
}

/** Solved within this many executed programs: the docs' second column (docs/pretraining.md). */
export const QUICK_SOLVE_SAMPLES = 100;

/** The median of the samples-to-solution of solved problems (null when none was solved). */
export function medianSamples(results: readonly CountedResult[]): number | null {
  const solved = results.filter((r) => r.solved).map((r) => r.samples_executed).sort((a, b) => a - b);
  if (solved.length === 0) return null;
  const mid = solved.length >> 1;
  return solved.length % 2 ? solved[mid]! : (solved[mid - 1]! + solved[mid]!) / 2;
}

/** One row per agent, in the run's order, over the results so far. */
export function summarizeSolve<A extends string>(agents: readonly A[], results: readonly CountedResult[]): (Omit<SolveAgentSummary, 'agent'> & { agent: A })[] {
  return agents.map((agent) => {
    const mine = results.filter((r) => r.agent === agent);
    return {
      agent,
      solved: mine.filter((r) => r.solved).length,
      problems: mine.length,
      solved_within_100: mine.filter((r) => r.solved && r.samples_executed <= QUICK_SOLVE_SAMPLES).length,
      median_samples: medianSamples(mine),
      seconds: mine.reduce((t, r) => t + r.seconds, 0),
    };
  });
}

/**
 * Problems solved within a budget, for every budget: one point per solution, sorted by its
 * samples-to-solution, y counting the solutions so far (the comparison of the learned-search
 * literature: fewer executed programs for the same count is the better agent). Starts at (0, 0).
 */
export function solvedWithinCurve(results: readonly CountedResult[], agent: string): { x: number; y: number }[] {
  const samples = results.filter((r) => r.agent === agent && r.solved).map((r) => r.samples_executed).sort((a, b) => a - b);
  return [{ x: 0, y: 0 }, ...samples.map((x, i) => ({ x, y: i + 1 }))];
}
