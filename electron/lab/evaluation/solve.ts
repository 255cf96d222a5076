import { CodeEnv } from '#lab/env/code-env.ts';
import { ProgramMemory } from '#lab/env/program-memory.ts';
import { sourceNames } from '#lab/env/program-source.ts';
import type { Executor } from '#lab/executor/executor.ts';
import { Rng } from '#lab/random/rng.ts';
import { createReward } from '#lab/rewards/create-reward.ts';
import { runEpisode } from '#lab/training/episode-runner.ts';
import { DqnPolicy, EnumerationPolicy, explorationShares, RandomPolicy, type Policy } from '#lab/training/policies.ts';
import { ProgramEnumerator } from '#lab/training/program-enumerator.ts';
import { enumerateWithEquivalence } from '#lab/search/observational-enumerator.ts';
import type { PgConfig } from '#lab/agents/policy-gradient/pg-config.ts';
import { solveWithPolicy } from '#lab/agents/policy-gradient/solve-with-policy.ts';
import type { PolicyNetwork } from '#lab/models/policy-network.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import type { Problem } from '#shared/problems/problem.ts';

export type SolveAgent = 'dqn' | 'random' | 'enumerate' | 'enumerate-oe' | 'pretrained' | 'pqt' | 'rspg';

/** Agents that sample from a policy network and learn by policy gradient (solve-with-policy.ts). */
export const POLICY_AGENTS: readonly SolveAgent[] = ['pretrained', 'pqt', 'rspg'];

export interface SolveResult {
  problem: string;
  agent: string;
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
  /** Start DQN from this trained network (a fresh copy per problem) instead of random weights. */
  startFrom?: () => DqnPolicy;
  /** For the policy agents: the network to start each problem from (a fresh copy each time) and its settings. */
  policy?: { network: () => PolicyNetwork; pg: PgConfig };
}

function policyFor(o: SolveOptions, env: CodeEnv): Policy {
  if (o.agent === 'random') return new RandomPolicy(new Rng(o.seed), explorationShares(o.config.agent));
  if (o.agent === 'enumerate') {
    const names = sourceNames(o.problem);
    return new EnumerationPolicy([new ProgramEnumerator(names.parameters.length, o.config.environment.max_steps, names.parameters)]);
  }
  return o.startFrom ? o.startFrom() : DqnPolicy.create(o.config, env.stateSize, env.actionCount, o.seed);
}

/**
 * The budgeted solve mode: keep searching (and, for DQN, learning from this problem's own tests)
 * until a program passes every test or `budget` programs have been executed. Every agent runs in
 * the same environment with the same memory of executed programs, whose exhausted prefixes are
 * masked, so no agent pays twice for one program and the counts compare.
 */
export async function solveProblem(o: SolveOptions): Promise<SolveResult> {
  const started = performance.now();
  if (POLICY_AGENTS.includes(o.agent)) {
    if (!o.policy) throw new Error(`agent ${o.agent} needs a policy network`);
    const found = await solveWithPolicy({ problem: o.problem, executor: o.executor, budget: o.budget, config: o.config, pg: o.policy.pg, network: o.policy.network(), seed: o.seed });
    return {
      problem: o.problem.name ?? o.problem.function_name,
      agent: o.agent,
      solved: found.solved,
      samples_executed: found.executed,
      episodes: found.episodes,
      seconds: (performance.now() - started) / 1000,
      program: found.program,
    };
  }
  if (o.agent === 'enumerate-oe') {
    const found = await enumerateWithEquivalence({ problem: o.problem, executor: o.executor, budget: o.budget, maxSteps: o.config.environment.max_steps });
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
  const memory = new ProgramMemory(true);
  const env = new CodeEnv({
    stateLayout: o.config.environment.state_layout,
    problems: [o.problem],
    executor: o.executor,
    maxSteps: o.config.environment.max_steps,
    reward: createReward(o.config.reward),
    seed: o.seed,
    autoForced: o.config.environment.auto_forced,
    avoidRepeats: true,
    memory,
  });
  const policy = policyFor(o, env);
  const { epsilon_start: start, epsilon_end: end, epsilon_decay: decay } = o.config.agent;
  let episodes = 0;
  let program: string | null = null;
  let steps = 0;
  try {
    while (memory.executed < o.budget && !memory.root(0).exhausted) {
      episodes++;
      const epsilon = Math.max(end, start * decay ** (episodes - 1));
      const outcome = await runEpisode(env, policy, {
        problemIndex: 0,
        epsilon,
        learn: o.agent === 'dqn',
        keepSteps: false,
        trainFrequency: o.config.agent.train_frequency,
        stepsBefore: steps,
      });
      steps += outcome.decisions;
      if (outcome.record.success) {
        program = outcome.record.code;
        break;
      }
    }
  } finally {
    policy.dispose();
  }
  return {
    problem: o.problem.name ?? o.problem.function_name,
    agent: o.agent,
    solved: program !== null,
    samples_executed: memory.executed,
    episodes,
    seconds: (performance.now() - started) / 1000,
    program,
  };
}

/** The median of the samples-to-solution of solved problems (null when none was solved). */
export function medianSamples(results: readonly SolveResult[]): number | null {
  const solved = results.filter((r) => r.solved).map((r) => r.samples_executed).sort((a, b) => a - b);
  if (solved.length === 0) return null;
  const mid = solved.length >> 1;
  return solved.length % 2 ? solved[mid]! : (solved[mid - 1]! + solved[mid]!) / 2;
}
