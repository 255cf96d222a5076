import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { solveProblem } from '#lab/evaluation/solve.ts';
import { createExecutor } from '#lab/executor/executor.ts';
import { PRESETS_DIR } from '#lab/paths.ts';
import { installBundledSets } from '#lab/problems/bundled-sets.ts';
import { openDatabase, type LabDatabase } from '#lab/store/database.ts';
import { createExperiment, getExperiment } from '#lab/store/experiments.ts';
import { findProblemSet, listProblems } from '#lab/store/problem-sets.ts';
import type { TrainerChannel } from '#lab/training/trainer-channel.ts';
import { runTrainingLoop } from '#lab/training/training-loop.ts';
import type { AgentKind } from '#shared/agents/agent-kinds.ts';
import { parseConfigYaml } from '#shared/config/parse-config-yaml.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import type { TrainerCommand } from '#shared/training/trainer-events.ts';
import type { Bench } from './registry.ts';

export interface TrainBenchOptions {
  /** Wall time per agent, training and solve alike (the bench's default: 30 s). */
  readonly seconds?: number;
  /** Problem set (bundled) the agents train and solve on. */
  readonly problemSet?: string;
  /** Config preset (data/presets) the DQN trains with; random search uses it with agent.type random. */
  readonly preset?: string;
  /** Solve: every problem of the set is solved once per round, round r with seed r (default 2). */
  readonly solveRounds?: number;
}

export interface TrainingThroughput {
  readonly episodes: number;
  readonly programs_executed: number;
  readonly seconds: number;
  readonly episodes_per_s: number;
  /** Executed programs per second: search-guided exploration executes many programs per DQN episode. */
  readonly programs_per_s: number;
}

export interface TrainBenchResult {
  readonly problem_set: string;
  readonly preset: string;
  readonly seconds_each: number;
  readonly solve_rounds: number;
  readonly train: {
    readonly dqn_episodes_per_s: number;
    readonly random_episodes_per_s: number;
    /** dqn / random: the share of search's speed training keeps. */
    readonly ratio: number;
    /** The same quotient for executed programs per second. */
    readonly programs_ratio: number;
    readonly dqn: TrainingThroughput;
    readonly random: TrainingThroughput;
  };
  readonly solve: {
    readonly dqn_programs_per_s: number;
    readonly random_programs_per_s: number;
    readonly ratio: number;
  };
}

function presetConfig(name: string): TrainingConfig {
  const parsed = parseConfigYaml(readFileSync(join(PRESETS_DIR, `${name}.yaml`), 'utf8'));
  if (!parsed.config) throw new Error(`preset ${name} does not parse: ${parsed.findings[0]?.path}: ${parsed.findings[0]?.message}`);
  return parsed.config;
}

/** The preset with another agent kind, and episodes enough that only the wall time ends the run. */
const withAgent = (config: TrainingConfig, type: AgentKind): TrainingConfig => ({
  ...config,
  agent: { ...config.agent, type },
  training: { ...config.training, num_episodes: 100_000_000 },
});

/** Trains as `lab train` does (same loop, same writes) until `seconds` have passed, then stops it. */
async function trainFor(db: LabDatabase, dbPath: string, setId: number, setName: string, config: TrainingConfig, seconds: number): Promise<TrainingThroughput> {
  const id = createExperiment(db, {
    name: `bench ${config.agent.type}`, agent: config.agent.type, problemSetId: setId, problemSetName: setName,
    config: config as unknown as Record<string, unknown>, seed: config.training.seed ?? 1, episodesTotal: config.training.num_episodes,
  });
  let command: (c: TrainerCommand) => void = () => {};
  const channel: TrainerChannel = { send: () => {}, onCommand: (h) => (command = h), onParentGone: () => {} };
  const started = performance.now();
  const timer = setTimeout(() => command({ type: 'stop' }), seconds * 1000);
  try {
    await runTrainingLoop({ db, dbPath, experiment: getExperiment(db, id)!, resume: false, channel });
  } finally {
    clearTimeout(timer);
  }
  const elapsed = (performance.now() - started) / 1000;
  const row = getExperiment(db, id)!;
  return { episodes: row.episodes_done, programs_executed: row.samples_executed, seconds: elapsed, episodes_per_s: row.episodes_done / elapsed, programs_per_s: row.samples_executed / elapsed };
}

/**
 * Solves every problem of the set once per round (budget 1,000, round r with seed r); executed
 * programs per second. The same work for every agent and every version of the code: a run cut at
 * a wall time would end inside a different problem each time, and problems differ a lot (one of
 * seed-train's took 13.5 s for its 1,000 programs, most take about 2 s).
 */
async function solveRounds(config: TrainingConfig, problems: ReturnType<typeof listProblems>, rounds: number): Promise<number> {
  const executor = createExecutor({ timeoutMs: config.environment.test_timeout_ms });
  let executed = 0;
  let spent = 0;
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const problem of problems) {
        const result = await solveProblem({ problem, agent: config.agent.type, config, executor, budget: 1000, seed: round });
        executed += result.samples_executed;
        spent += result.seconds;
      }
    }
  } finally {
    await executor.close();
  }
  return executed / spent;
}

/**
 * Training and solving speed of the default preset's DQN against random search on the same
 * problems, the same wall time each, in one process: the price of learning over blind search.
 */
export async function runTrainBench(options: TrainBenchOptions = {}): Promise<TrainBenchResult> {
  const seconds = options.seconds ?? 30;
  const setName = options.problemSet ?? 'seed-train';
  const preset = options.preset ?? 'default';
  const rounds = options.solveRounds ?? 2;
  const dir = mkdtempSync(join(tmpdir(), 'lab-train-bench-'));
  const dbPath = join(dir, 'lab.sqlite');
  const db = openDatabase(dbPath);
  try {
    await installBundledSets(db);
    const set = findProblemSet(db, setName);
    if (!set) throw new Error(`no bundled problem set "${setName}"`);
    const config = presetConfig(preset);
    const dqn = await trainFor(db, dbPath, set.id, setName, withAgent(config, 'dqn'), seconds);
    const random = await trainFor(db, dbPath, set.id, setName, withAgent(config, 'random'), seconds);
    const problems = listProblems(db, set.id);
    const dqnSolve = await solveRounds(withAgent(config, 'dqn'), problems, rounds);
    const randomSolve = await solveRounds(withAgent(config, 'random'), problems, rounds);
    return {
      problem_set: setName,
      preset,
      seconds_each: seconds,
      solve_rounds: rounds,
      train: {
        dqn_episodes_per_s: dqn.episodes_per_s,
        random_episodes_per_s: random.episodes_per_s,
        ratio: dqn.episodes_per_s / random.episodes_per_s,
        programs_ratio: dqn.programs_per_s / random.programs_per_s,
        dqn,
        random,
      },
      solve: { dqn_programs_per_s: dqnSolve, random_programs_per_s: randomSolve, ratio: dqnSolve / randomSolve },
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number, digits = 1) => Number(x.toFixed(digits));

export const trainBench: Bench = {
  name: 'train',
  summary: "the default preset's DQN training (30 s) and solving (each problem, seeds 1-2) against random search's, same problems",
  async run() {
    const r = await runTrainBench();
    return {
      name: 'train',
      json: r.train,
      sections: { solve: r.solve, train_setup: { problem_set: r.problem_set, preset: r.preset, seconds_each: r.seconds_each, solve_rounds: r.solve_rounds } },
      rows: [
        ['DQN training', round(r.train.dqn_episodes_per_s), `episodes/s (${r.train.dqn.episodes} in ${round(r.train.dqn.seconds)} s, ${r.train.dqn.programs_executed} programs executed)`],
        ['random search training', round(r.train.random_episodes_per_s), `episodes/s (${r.train.random.episodes} in ${round(r.train.random.seconds)} s)`],
        ['DQN / random', round(r.train.ratio, 3), 'x (training episodes/s)'],
        ['DQN / random', round(r.train.programs_ratio, 3), `x (training executed programs/s: ${round(r.train.dqn.programs_per_s)} vs ${round(r.train.random.programs_per_s)})`],
        ['DQN solve', round(r.solve.dqn_programs_per_s), 'executed programs/s'],
        ['random solve', round(r.solve.random_programs_per_s), 'executed programs/s'],
        ['DQN / random', round(r.solve.ratio, 3), `x (solve: each of ${r.problem_set}'s problems with seeds 1-${r.solve_rounds}, budget 1,000; preset ${r.preset})`],
      ],
    };
  },
};
