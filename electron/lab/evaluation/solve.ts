import type { SavedAgent } from '#lab/agents/agent.ts';
import type { Executor } from '#lab/executor/executor.ts';
import { createRun } from '#lab/training/create-run.ts';
import { enumerateSortAndAdd, tokenGuide, type ScoredProgram } from '#lab/search/guided-enumeration.ts';
import { enumerateWithEquivalence, returnedExpression, returnProgram, type EnumerationResult } from '#lab/search/observational-enumerator.ts';
import { loopSearch, loopsOver } from '#lab/search/loop-search.ts';
import { SHORT_FALLBACK } from '#lab/search/loop-sketches.ts';
import { bestFirstSearch, type BestFirstOptions } from '#lab/search/best-first-search.ts';
import { PolicyValueScorer } from '#lab/search/policy-value-scorer.ts';
import type { PolicyNetwork } from '#lab/models/policy-network.ts';
import type { AgentKind } from '#shared/agents/agent-kinds.ts';
import { usesPretrainedModel, type SolveAgent } from '#shared/solving/solve-agents.ts';
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
  /** The pretrained policy best-first scores values with (never changed by the search). */
  policy?: PolicyNetwork;
  /**
   * Asked between batches of episodes: true ends the search early, with a partial result. (The
   * enumeration of `enumerate-oe` runs to its budget.)
   */
  stopRequested?: () => boolean;
}

/**
 * The budgeted solve mode: keep searching (and, for the learning agents, learning from this
 * problem's own tests) until a program passes every test or `budget` programs have been executed.
 * No agent pays twice for one program, so the counts compare.
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
  if (usesPretrainedModel(o.agent) && !o.startFrom) throw new Error(`the ${o.agent} agent needs its model (startFrom)`);
  // guided-oe and best-first: the policy writes the first share of the budget, then a search
  // guided by what it wrote (guided-oe) or by the policy itself (best-first).
  const twoPhase = o.agent === 'guided-oe' || o.agent === 'best-first';
  const policyBudget = twoPhase ? Math.max(1, Math.round(o.budget * GUIDED_POLICY_SHARE)) : o.budget;
  const kind: AgentKind = usesPretrainedModel(o.agent) ? 'pqt' : (o.agent as AgentKind);
  const config = { ...o.config, agent: { ...o.config.agent, type: kind } };
  const searched = await searchWithPolicy(o, config, policyBudget);
  const result = {
    problem: o.problem.name ?? o.problem.function_name,
    agent: o.agent,
    solved: searched.program !== null,
    samples_executed: searched.executed,
    episodes: searched.episodes,
    seconds: (performance.now() - started) / 1000,
    program: searched.program,
  };
  if (!twoPhase || searched.program !== null || o.stopRequested?.()) return result;
  const ran = new Set(searched.programs.map((p) => p.tokens.join(' ')));
  const common = {
    problem: o.problem, executor: o.executor, budget: o.budget - searched.executed, maxSteps: o.config.environment.max_steps,
    timeoutMs: o.config.environment.test_timeout_ms, alreadyRun: (program: readonly number[]) => ran.has(program.join(' ')),
  };
  const found = o.agent === 'guided-oe' ? await enumerateSortAndAdd({ ...common, guide: tokenGuide(searched.programs) }) : await searchBestFirst(o, common, searched.programs);
  return {
    ...result,
    solved: found.solved,
    samples_executed: searched.executed + found.executed,
    episodes: searched.episodes + found.executed,
    seconds: (performance.now() - started) / 1000,
    program: found.program,
  };
}

/**
 * Best-first search from the policy's programs (their expressions are its first values), then, with
 * the last LOOP_SEARCH_SHARE of the whole budget, loop search over the values it kept.
 */
async function searchBestFirst(o: SolveOptions, common: Omit<BestFirstOptions, 'scorer' | 'start' | 'seeds'>, programs: readonly ScoredProgram[]): Promise<EnumerationResult> {
  if (!o.policy) throw new Error('the best-first agent needs the pretrained policy (policy)');
  const { scorer, start } = await PolicyValueScorer.create(o.policy, o.problem, o.config.environment.max_steps);
  // A problem whose parameters allow no loop (floats, dicts) leaves the whole budget to the one-line search.
  const loopBudget = loopsOver(o.problem).length === 0 ? 0 : Math.min(common.budget, Math.round(o.budget * LOOP_SEARCH_SHARE));
  const found = await bestFirstSearch({ ...common, budget: common.budget - loopBudget, scorer, start, seeds: returnedExpressions(programs) });
  if (found.solved || loopBudget === 0 || o.stopRequested?.()) return found;
  // An early-return loop's fallback is a one-liner for some of the tests, searched the same way
  // from the short values kept so far (a long one that fits is known already); a program already
  // run on every test is not counted again.
  const short = found.values.filter((v) => v.tokens.length <= SHORT_FALLBACK);
  const kept = new Set(short.map((v) => returnProgram(v.tokens).join(' ')));
  const searchFallback = async (subset: Problem, budget: number) => {
    const priced = await PolicyValueScorer.create(o.policy!, subset, o.config.environment.max_steps);
    const alreadyRun = (program: readonly number[]) => kept.has(program.join(' ')) || (common.alreadyRun?.(program) ?? false);
    return bestFirstSearch({ ...common, problem: subset, budget, ...priced, seeds: short.map((v) => v.tokens), alreadyRun });
  };
  const looped = await loopSearch({ problem: o.problem, executor: o.executor, budget: common.budget - found.executed, timeoutMs: common.timeoutMs, values: found.values, searchFallback, alreadyRun: common.alreadyRun });
  return { ...looped, executed: found.executed + looped.executed, values: found.values };
}

/** The share of the whole budget best-first keeps for loop programs (where a parameter allows one), spent after the one-line search. */
export const LOOP_SEARCH_SHARE = 0.3;

/** The expressions of one-line `return <expr>` programs, in the order they were run (the search drops repeats). */
function returnedExpressions(programs: readonly ScoredProgram[]): number[][] {
  return programs.map((p) => returnedExpression(p.tokens)).filter((e) => e !== null);
}

/** The share of guided-oe's and best-first's budget the pretrained policy spends before their search takes over. */
export const GUIDED_POLICY_SHARE = 0.3;

interface PolicySearch {
  /** The first passing program, or null. */
  program: string | null;
  /** Programs executed until it (or all of them). */
  executed: number;
  episodes: number;
  /** Every executed program with the fraction of tests it passed. */
  programs: ScoredProgram[];
}

/**
 * An agent's episodes in lockstep batches (learning from the problem's own tests as it goes)
 * until a program passes or `budget` programs have been executed. Every agent runs in the same
 * environment with the same memory of executed programs, whose exhausted prefixes are masked.
 */
async function searchWithPolicy(o: SolveOptions, config: TrainingConfig, budget: number): Promise<PolicySearch> {
  const run = await createRun(config, [o.problem], o.executor, { seed: o.seed, avoidRepeats: true, ...(o.startFrom ? { saved: o.startFrom } : {}) });
  const { memory } = run;
  const programs: ScoredProgram[] = [];
  let episodes = 0;
  let program: string | null = null;
  let executedAtSolution = 0;
  let steps = 0;
  try {
    // Batches of episodes in lockstep, never more than the budget has programs left.
    while (memory.executed < budget && !memory.root(0).exhausted && program === null && !o.stopRequested?.()) {
      const count = Math.min(run.envs.length, budget - memory.executed);
      const epsilon = run.definition.epsilon(episodes + 1, config);
      const lanes = Array.from({ length: count }, () => ({ problemIndex: 0, epsilon, learn: true, keepSteps: false, trainFrequency: config.agent.train_frequency, stepsBefore: steps }));
      const outcomes = await run.episodes(lanes);
      // The first passing program in the order programs were judged (lanes end at different steps).
      const solved = outcomes.filter((o) => o.record.success).sort((a, b) => a.executedSoFar - b.executedSoFar)[0];
      if (solved) [program, executedAtSolution] = [solved.record.code, solved.executedSoFar];
      episodes += outcomes.length;
      for (const outcome of outcomes) {
        steps += outcome.decisions;
        if (outcome.executed) programs.push({ tokens: outcome.tokens, score: outcome.record.testsTotal > 0 ? outcome.record.testsPassed / outcome.record.testsTotal : 0 });
      }
    }
  } finally {
    run.dispose();
  }
  return { program, executed: program === null ? memory.executed : executedAtSolution, episodes, programs };
}
