import type { SavedAgent } from '#lab/agents/agent.ts';
import { pretrainedStart } from '#lab/evaluation/policy-agents.ts';
import { solveProblem, type SolveResult as ProblemOutcome } from '#lab/evaluation/solve.ts';
import type { Executor } from '#lab/executor/executor.ts';
import { PRETRAINED_POLICY_DIR } from '#lab/paths.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import type { Problem } from '#shared/problems/problem.ts';
import { usesPretrainedModel, type SolveAgent } from '#shared/solving/solve-agents.ts';
import type { SolveAgentSummary } from '#shared/solving/solve-run.ts';
import { summarizeSolve } from '#shared/solving/solve-summary.ts';

export interface SolveRunOptions {
  problems: readonly Problem[];
  /** Run one after the other, each on every problem. */
  agents: readonly SolveAgent[];
  /** Executed programs allowed per agent and problem. */
  budget: number;
  seed: number;
  /** The environment and hyperparameters the learning agents start from. */
  config: TrainingConfig;
  executor: Executor;
  /** A trained agent of the config's kind: that kind starts from it (afresh per problem). */
  startFrom?: SavedAgent;
  /** The pretrained agent's model folder (made by `lab pretrain`); the shipped one by default. */
  pretrainedModel?: string;
  onAgentStarted?(agent: SolveAgent): void;
  /** Each result the moment it is known, with the problem's position in `problems`. */
  onResult?(result: ProblemOutcome, problemIndex: number): void;
  onAgentFinished?(summary: SolveAgentSummary): void;
  /** Asked between problems and between batches of episodes: true ends the run early. */
  stopRequested?(): boolean;
}

export interface SolveRunOutcome {
  /** Agent after agent, problems in order. */
  results: ProblemOutcome[];
  /** True when stopRequested ended the run before every agent had every problem. */
  stopped: boolean;
}

/**
 * The solve comparison: each agent in turn searches each problem until a program passes every test
 * or the budget is spent (`solveProblem`). The pretrained agent's model is loaded once, up front;
 * every problem restores a fresh copy. A problem cut short by a stop is left out, not counted as
 * unsolved.
 */
export async function runSolve(o: SolveRunOptions): Promise<SolveRunOutcome> {
  const pretrained = o.agents.some(usesPretrainedModel) ? pretrainedStart(o.pretrainedModel ?? PRETRAINED_POLICY_DIR, o.config, o.seed) : undefined;
  const stopRequested = () => o.stopRequested?.() ?? false;
  const results: ProblemOutcome[] = [];
  for (const agent of o.agents) {
    if (stopRequested()) return { results, stopped: true };
    o.onAgentStarted?.(agent);
    // Each agent starts with an empty result cache: a program an earlier agent ran must cost this
    // one like any other (the environment counts only programs the executor really ran).
    o.executor.cache.clear();
    const mine: ProblemOutcome[] = [];
    for (const [index, problem] of o.problems.entries()) {
      if (stopRequested()) return { results, stopped: true };
      const common = { problem, agent, executor: o.executor, budget: o.budget, seed: o.seed, stopRequested };
      const result =
        usesPretrainedModel(agent) && pretrained
          ? await solveProblem({ ...common, config: pretrained.config, startFrom: pretrained.saved, policy: pretrained.network })
          : await solveProblem({ ...common, config: o.config, ...(o.startFrom && agent === o.config.agent.type ? { startFrom: o.startFrom } : {}) });
      if (stopRequested() && !result.solved && result.samples_executed < o.budget) return { results, stopped: true };
      mine.push(result);
      results.push(result);
      o.onResult?.(result, index);
    }
    o.onAgentFinished?.(summarizeSolve([agent], mine)[0]!);
  }
  return { results, stopped: false };
}
