import type { SavedAgent } from '#lab/agents/agent.ts';
import type { Executor } from '#lab/executor/executor.ts';
import { createRun } from '#lab/training/create-run.ts';
import { enumerateWithEquivalence } from '#lab/search/observational-enumerator.ts';
import type { AgentKind } from '#shared/agents/agent-kinds.ts';
import type { SolveAgent } from '#shared/solving/solve-agents.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import type { Problem } from '#shared/problems/problem.ts';

export interface SolveResult {
  problem: string;
  agent: SolveAgent;
  solved: boolean;
  /** Programs executed until the first passing one (or the budget). */
  samples_executed: number;
  episodes: number;
  seconds: number;
  program: string | null;
}

export interface SolveOptions {
  problem: Problem;
  agent: SolveAgent;
  config: TrainingConfig;
  executor: Executor;
  /** Executed programs allowed; a program is never executed twice. */
  budget: number;
  seed: number;
  /** Start from this trained agent (of `agent`'s kind; restored afresh per problem) instead of a new one. */
  startFrom?: SavedAgent;
  /**
   * Asked between batches of episodes: true ends the search early, with a partial result. (The
   * enumeration of `enumerate-oe` runs to its budget.)
   */
  stopRequested?: () => boolean;
}

/**
 * The budgeted solve mode: keep searching (and, for DQN, learning from this problem's own tests)
 * until a program passes every test or `budget` programs have been executed. Every agent runs in
 * the same environment with the same memory of executed programs, whose exhausted prefixes are
 * masked, so no agent pays twice for one program and the counts compare.
 */
export async function solveProblem(o: SolveOptions): Promise<SolveResult> {
  const started = performance.now();
  if (o.agent === 'enumerate-oe') {
    const found = await enumerateWithEquivalence({ problem: o.problem, executor: o.executor, budget: o.budget, maxSteps: o.config.environment.max_steps, timeoutMs: o.config.environment.test_timeout_ms });
    return {
      problem: o.problem.name ?? o.problem.function_name,
      agent: o.agent,
      solved: found.solved,
      samples_executed: found.executed,
      episodes: found.executed,
      seconds: (performance.now() - started) / 1000,
      program: found.program,
    };
  }
  if (o.agent === 'pretrained' && !o.startFrom) throw new Error('the pretrained agent needs its model (startFrom)');
  const kind: AgentKind = o.agent === 'pretrained' ? 'pqt' : o.agent;
  const config = { ...o.config, agent: { ...o.config.agent, type: kind } };
  const run = await createRun(config, [o.problem], o.executor, { seed: o.seed, avoidRepeats: true, ...(o.startFrom ? { saved: o.startFrom } : {}) });
  const { memory } = run;
  let episodes = 0;
  let program: string | null = null;
  let executedAtSolution = 0;
  let steps = 0;
  try {
    // Batches of episodes in lockstep, never more than the budget has programs left.
    while (memory.executed < o.budget && !memory.root(0).exhausted && program === null && !o.stopRequested?.()) {
      const count = Math.min(run.envs.length, o.budget - memory.executed);
      const epsilon = run.definition.epsilon(episodes + 1, config);
      const lanes = Array.from({ length: count }, () => ({ problemIndex: 0, epsilon, learn: true, keepSteps: false, trainFrequency: config.agent.train_frequency, stepsBefore: steps }));
      const outcomes = await run.episodes(lanes);
      // The first passing program in the order programs were judged (lanes end at different steps).
      const solved = outcomes.filter((o) => o.record.success).sort((a, b) => a.executedSoFar - b.executedSoFar)[0];
      if (solved) [program, executedAtSolution] = [solved.record.code, solved.executedSoFar];
      episodes += outcomes.length;
      for (const outcome of outcomes) steps += outcome.decisions;
    }
  } finally {
    run.dispose();
  }
  return {
    problem: o.problem.name ?? o.problem.function_name,
    agent: o.agent,
    solved: program !== null,
    samples_executed: program === null ? memory.executed : executedAtSolution,
    episodes,
    seconds: (performance.now() - started) / 1000,
    program,
  };
}
