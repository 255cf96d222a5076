import { CodeEnv } from '#lab/env/code-env.ts';
import { ProgramMemory, type MemorySnapshot } from '#lab/env/program-memory.ts';
import { sourceNames } from '#lab/env/program-source.ts';
import { createExecutor, type Executor } from '#lab/executor/executor.ts';
import { backendChoiceFromDevice, selectBackend } from '#lab/models/backend.ts';
import { Rng } from '#lab/random/rng.ts';
import { createReward } from '#lab/rewards/create-reward.ts';
import { curriculumOrder, curriculumPool } from '#lab/rewards/curriculum-reward.ts';
import { REWARD_PARTS } from '#lab/rewards/reward-function.ts';
import type { LabDatabase } from '#lab/store/database.ts';
import { recordProgress, setExperimentStatus } from '#lab/store/experiments.ts';
import { listProblems } from '#lab/store/problem-sets.ts';
import { RunWriter, truncateRunAfter } from '#lab/store/run-writer.ts';
import { parseConfigObject } from '#shared/config/parse-config-yaml.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import type { Experiment, ExperimentStatus, MetricPoint } from '#shared/experiments/experiment.ts';
import type { Problem } from '#shared/problems/problem.ts';
import type { TrainerCommand } from '#shared/training/trainer-events.ts';
import { PgPolicy } from '#lab/agents/policy-gradient/pg-policy.ts';
import type { CheckpointPayload } from './checkpoint-files.ts';
import { Checkpointer } from './checkpointer.ts';
import { runEpisode } from './episode-runner.ts';
import { DqnPolicy, EnumerationPolicy, explorationShares, PlannedPolicy, RandomPolicy, type Policy } from './policies.ts';
import { ProgramEnumerator } from './program-enumerator.ts';
import { ProblemSearch } from './program-search.ts';
import { RunState, type RunCounters } from './run-state.ts';
import type { TrainerChannel } from './trainer-channel.ts';

export interface TrainingLoopInput {
  db: LabDatabase;
  dbPath: string;
  experiment: Experiment;
  resume: boolean;
  channel: TrainerChannel;
}

const PROGRESS_INTERVAL_MS = 1000;
/** Agent kinds that learn from their episodes (the others are search baselines). */
const LEARNERS: readonly string[] = ['dqn', 'pqt', 'rspg'];

function configOf(experiment: Experiment): TrainingConfig {
  const parsed = parseConfigObject(experiment.config);
  if (!parsed.config) throw new Error(`experiment ${experiment.id} has an invalid config: ${parsed.findings[0]?.path}: ${parsed.findings[0]?.message}`);
  return parsed.config;
}

function problemsOf(db: LabDatabase, experiment: Experiment): Problem[] {
  if (experiment.problem_set_id === null) throw new Error(`the problem set "${experiment.problem_set_name}" of experiment ${experiment.id} was deleted`);
  const problems = listProblems(db, experiment.problem_set_id);
  if (problems.length === 0) throw new Error(`the problem set "${experiment.problem_set_name}" is empty`);
  return problems;
}

function createPolicy(config: TrainingConfig, env: CodeEnv, problems: Problem[], seed: number): Policy {
  switch (config.agent.type) {
    case 'random':
      return new RandomPolicy(new Rng(seed), explorationShares(config.agent));
    case 'pqt':
    case 'rspg':
      return PgPolicy.create(config.agent.type, env.stateSize, env.actionCount, seed, { learning_rate: config.agent.learning_rate, hidden_dim: config.agent.hidden_dim });
    case 'enumerate':
      return new EnumerationPolicy(
        problems.map((p) => {
          const names = sourceNames(p);
          return new ProgramEnumerator(names.parameters.length, config.environment.max_steps, names.parameters);
        }),
      );
    default:
      return DqnPolicy.create(config, env.stateSize, env.actionCount, seed);
  }
}

function restorePolicy(config: TrainingConfig, env: CodeEnv, problems: Problem[], seed: number, payload: { meta: unknown; arrays: Record<string, never> } | Parameters<typeof DqnPolicy.restore>[0]): Policy {
  if (config.agent.type === 'dqn') return DqnPolicy.restore(payload, explorationShares(config.agent));
  if (config.agent.type === 'random') return RandomPolicy.restore(payload, explorationShares(config.agent));
  if (config.agent.type === 'pqt' || config.agent.type === 'rspg') return PgPolicy.restore(config.agent.type, payload as CheckpointPayload);
  const policy = createPolicy(config, env, problems, seed) as EnumerationPolicy;
  policy.restoreProgress((payload.meta as { produced: number[] }).produced);
  return policy;
}

/**
 * Which problem an episode trains on: a fresh seeded shuffle of the pool every pass, computed from
 * the episode number alone, so a resumed run picks exactly what the uninterrupted one would have.
 */
function problemForEpisode(episode: number, pool: readonly number[], seed: number): number {
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
function focusedProblem(episode: number, pool: readonly number[], seed: number, solved: readonly number[], solvedWeight: number): number {
  const rng = new Rng((seed * 104_729 + episode * 2_654_435_761) >>> 0);
  const open = pool.some((p) => !solved.includes(p));
  const weights = pool.map((p) => (open && solved.includes(p) ? solvedWeight : 1));
  let r = rng.next() * weights.reduce((a, b) => a + b, 0);
  for (let k = 0; k < pool.length; k++) if ((r -= weights[k]!) < 0) return pool[k]!;
  return pool[pool.length - 1]!;
}

/** Trains one experiment to its end (or a stop), reporting and checkpointing on the way. */
export async function runTrainingLoop(input: TrainingLoopInput): Promise<ExperimentStatus> {
  const { db, experiment, channel } = input;
  const config = configOf(experiment);
  const problems = problemsOf(db, experiment);
  const seed = config.training.seed ?? experiment.id;
  const backend = config.agent.type === 'dqn' ? (await selectBackend(backendChoiceFromDevice(config.agent.device))).backend : 'none';
  const executor: Executor = createExecutor({ timeoutMs: config.environment.test_timeout_ms, warn: (m) => channel.send({ type: 'log', experiment_id: experiment.id, level: 'warn', message: m }) });
  const reward = createReward(config.reward);
  // The memory of executed programs keeps its prefix tree when training avoids repeats; it goes into
  // every checkpoint, since which programs were tried decides what a later episode may write.
  const avoidRepeats = config.environment.avoid_repeats;
  const memory = new ProgramMemory(avoidRepeats);
  const env = new CodeEnv({ problems, executor, stateLayout: config.environment.state_layout, maxSteps: config.environment.max_steps, reward, seed, autoForced: config.environment.auto_forced, memory });
  const checkpointer = new Checkpointer(db, experiment.id, input.dbPath, config.training.keep_checkpoints);
  const writer = new RunWriter(db, experiment.id);
  const order = curriculumOrder(problems);

  let policy: Policy;
  let state: RunState;
  const latest = input.resume ? checkpointer.latest() : undefined;
  if (latest) {
    const meta = latest.payload.meta as { counters: RunCounters; policy: unknown; memory?: MemorySnapshot };
    policy = restorePolicy(config, env, problems, seed, { meta: meta.policy, arrays: latest.payload.arrays });
    if (meta.memory) env.restoreMemory(meta.memory);
    state = RunState.restore(meta.counters);
    truncateRunAfter(db, experiment.id, latest.episode);
    checkpointer.discardAfter(latest.episode);
  } else {
    if (input.resume) truncateRunAfter(db, experiment.id, 0);
    policy = createPolicy(config, env, problems, seed);
    state = RunState.fresh(config);
  }
  if (state.learningRate !== config.agent.learning_rate) policy.setLearningRate(state.learningRate);

  // Search-guided exploration (training.search_programs, DQN only): one systematic search per
  // problem, rebuilt from the checkpointed counters on resume (see ProblemSearch).
  const searchPrograms = config.agent.type === 'dqn' ? config.training.search_programs : 0;
  const searches: ProblemSearch[] = [];
  if (searchPrograms > 0) {
    const saved = new Map(state.search);
    problems.forEach((p, i) => {
      const names = sourceNames(p);
      searches.push(new ProblemSearch({ paramCount: names.parameters.length, maxSteps: config.environment.max_steps, parameters: names.parameters }, config.training.search_local_extra, saved.get(i)));
    });
  }
  /** A program replayed as an exploratory learning episode (off-policy: the DQN learns from it). */
  const replay = async (problemIndex: number, plan: readonly number[]) => {
    const outcome = await runEpisode(env, new PlannedPolicy(policy, plan), { problemIndex, epsilon: 1, learn: true, keepSteps: false, trainFrequency: config.agent.train_frequency, stepsBefore: state.envSteps, avoidRepeats: false });
    state.recordSearch('replay', outcome.executed, outcome.decisions);
  };
  /**
   * Before a training episode on a problem the greedy policy fails: up to search_programs programs
   * the search proposes are executed with no updates (a search program costs the executor ~1 ms, a
   * DQN update ~7 ms, so updates would dominate); a better partial score is replayed once for
   * learning, and a solution before every later episode on the problem.
   */
  const searchBefore = async (problemIndex: number, episode: number) => {
    const search = searches[problemIndex];
    if (!search) return;
    if (state.greedySolved.includes(problemIndex)) {
      // Solved problems keep seeing their solution: without it the greedy policy drifted (measured,
      // seed set: 8/8 at episode 1,800, then 6/8 at 2,500 as is_even grew an assignment prefix).
      if (search.solution) await replay(problemIndex, search.solution);
      return;
    }
    const name = problems[problemIndex]!.name ?? problems[problemIndex]!.function_name;
    for (let k = 0; k < searchPrograms && !search.solution; k++) {
      const plan = search.next((tokens) => env.memory.has(problemIndex, tokens));
      if (!plan) break;
      const outcome = await runEpisode(env, new PlannedPolicy(policy, plan), { problemIndex, epsilon: 1, learn: false, keepSteps: false, trainFrequency: 1, stepsBefore: 0, avoidRepeats });
      state.recordSearch('program', outcome.executed, outcome.decisions);
      if (search.report(env.programTokens, outcome.record.testsPassed, outcome.record.testsTotal)) {
        if (outcome.record.success) state.solved(name, outcome.record.code, episode);
        else await replay(problemIndex, plan);
      }
    }
    if (search.solution) await replay(problemIndex, search.solution);
  };

  let status: ExperimentStatus = 'running';
  let paused = false;
  let wake: (() => void) | undefined;
  channel.onCommand((command: TrainerCommand) => {
    if (command.type === 'pause') paused = true;
    else if (command.type === 'resume') paused = false;
    else if (command.type === 'stop') status = 'stopped';
    else if (command.type === 'set_epsilon') state.overrideEpsilon(command.value);
    else if (command.type === 'set_learning_rate') {
      state.learningRate = command.value;
      policy.setLearningRate(command.value);
    }
    if (command.type !== 'pause' && command.type !== 'resume' && command.type !== 'stop') {
      const value = command.value;
      writer.intervention(state.episode, state.envSteps, state.elapsed(), command.type, value);
      channel.send({ type: 'intervention', experiment_id: experiment.id, kind: command.type, value, episode: state.episode, step: state.envSteps });
    }
    wake?.();
  });
  channel.onParentGone(() => {
    status = 'stopped';
    wake?.();
  });

  setExperimentStatus(db, experiment.id, 'running', { backend, trainerPid: process.pid, error: null });
  channel.send({ type: 'started', experiment_id: experiment.id, backend, pid: process.pid, resumed_from: latest?.episode ?? null });
  channel.send({ type: 'status', experiment_id: experiment.id, status: 'running' });

  const total = config.training.num_episodes;
  let lastReport = 0;
  let pendingPoints: MetricPoint[] = [];
  const metric = (name: string, value: number) => {
    writer.metric(name, state.envSteps, state.episode, state.elapsed(), value);
    if (Number.isFinite(value)) pendingPoints.push({ name, step: state.envSteps, episode: state.episode, wall_time: state.elapsed(), value });
  };
  const report = (force = false) => {
    const now = Date.now();
    if (!force && now - lastReport < PROGRESS_INTERVAL_MS) return;
    lastReport = now;
    writer.flush();
    recordProgress(db, experiment.id, { episodesDone: state.episode, envSteps: state.envSteps, samplesExecuted: state.samplesExecuted, bestSuccessRate: state.bestGreedy });
    if (pendingPoints.length) channel.send({ type: 'metrics', experiment_id: experiment.id, points: pendingPoints });
    pendingPoints = [];
    channel.send({ type: 'progress', progress: state.progress(experiment.id, total, config) });
  };
  const checkpoint = () => {
    writer.flush();
    recordProgress(db, experiment.id, { episodesDone: state.episode, envSteps: state.envSteps, samplesExecuted: state.samplesExecuted, bestSuccessRate: state.bestGreedy });
    const saved = policy.save();
    checkpointer.save(state.episode, { meta: { counters: state.counters(), policy: saved.meta, memory: env.memory.snapshot() }, arrays: saved.arrays });
  };

  try {
    while (state.episode < total && status === 'running') {
      if (paused) {
        setExperimentStatus(db, experiment.id, 'paused');
        channel.send({ type: 'status', experiment_id: experiment.id, status: 'paused' });
        report(true);
        state.pauseClock();
        while (paused && status === 'running') await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, 500)));
        state.resumeClock();
        if (status !== 'running') break;
        setExperimentStatus(db, experiment.id, 'running');
        channel.send({ type: 'status', experiment_id: experiment.id, status: 'running' });
      }
      const episode = state.episode + 1;
      const progress = (episode - 1) / total;
      env.setTrainingProgress(progress);
      const pool = config.reward.type === 'curriculum' ? curriculumPool(order, progress) : order;
      const solvedWeight = config.training.solved_problem_weight;
      const problemIndex = solvedWeight < 1 ? focusedProblem(episode, pool, seed, state.greedySolved, solvedWeight) : problemForEpisode(episode, pool, seed);
      const epsilon = state.epsilonFor(episode, config);
      const keepSteps = episode % config.training.replay_every === 0 || !state.firstSuccessSeen(problemIndex);
      if (searches.length) await searchBefore(problemIndex, episode);
      const outcome = await runEpisode(env, policy, { problemIndex, epsilon, learn: LEARNERS.includes(config.agent.type), keepSteps, trainFrequency: config.agent.train_frequency, stepsBefore: state.envSteps, avoidRepeats });
      if (searches.length) {
        searches[problemIndex]!.report(env.programTokens, outcome.record.testsPassed, outcome.record.testsTotal);
        state.search = searches.map((search, i) => [i, search.snapshot()] as [number, ReturnType<ProblemSearch['snapshot']>]);
      }
      state.recordEpisode(episode, outcome, problemIndex, epsilon);
      const name = problems[problemIndex]!.name ?? problems[problemIndex]!.function_name;
      if (outcome.record.success) state.solved(name, outcome.record.code, episode);
      const firstSuccess = outcome.record.success && state.markFirstSuccess(problemIndex);
      if (keepSteps || firstSuccess) writer.episode({ ...outcome.record, problemName: name, episode, kind: 'train' });
      else writer.episode({ ...outcome.record, problemName: name, episode, kind: 'train', steps: [] });

      metric('charts/episodic_return', outcome.record.totalReturn);
      metric('charts/episodic_length', outcome.record.length);
      metric('charts/success', outcome.record.success ? 1 : 0);
      metric('charts/success_rate', state.successRate());
      metric('charts/epsilon', epsilon);
      metric('charts/learning_rate', state.learningRate);
      metric('charts/samples_executed', state.samplesExecuted);
      metric('charts/SPS', state.stepsPerSecond());
      if (searches.length) metric('charts/search_programs', state.searchPrograms);
      for (const part of REWARD_PARTS) metric(`rewards/${part}`, outcome.rewardParts[part]);
      if (outcome.losses.length && policy.kind === 'dqn') {
        metric('losses/td_loss', outcome.losses.reduce((a, b) => a + b, 0) / outcome.losses.length);
        metric('losses/q_values', outcome.meanQs.reduce((a, b) => a + b, 0) / outcome.meanQs.length);
      } else if (outcome.losses.length) {
        // Policy-gradient agents: the negative log-likelihood of the programs they were trained on.
        metric('losses/policy_loss', outcome.losses.reduce((a, b) => a + b, 0) / outcome.losses.length);
      }

      if (episode % config.training.eval_frequency === 0 || episode === total) {
        let solvedCount = 0;
        const greedySolved: number[] = [];
        for (let p = 0; p < problems.length; p++) {
          const greedy = await runEpisode(env, policy, { problemIndex: p, epsilon: 0, learn: false, keepSteps: true, trainFrequency: 1, stepsBefore: 0, avoidRepeats: false });
          state.samplesExecuted += greedy.executed ? 1 : 0;
          const pname = problems[p]!.name ?? problems[p]!.function_name;
          if (greedy.record.success) {
            solvedCount++;
            greedySolved.push(p);
            state.solved(pname, greedy.record.code, episode);
          }
          writer.episode({ ...greedy.record, problemName: pname, episode, kind: 'greedy' });
        }
        state.greedySolved = greedySolved;
        const rate = solvedCount / problems.length;
        metric('charts/greedy_success_rate', rate);
        metric('charts/problems_solved', solvedCount);
        if (state.bestGreedy === null || rate > state.bestGreedy) {
          state.bestGreedy = rate;
          writer.flush();
          const saved = policy.save();
          checkpointer.saveBest(episode, rate, { meta: { counters: state.counters(), policy: saved.meta }, arrays: saved.arrays });
        }
      }
      if (episode % config.training.save_frequency === 0) checkpoint();
      report();
    }
    if (status === 'running') status = 'done';
    checkpoint();
    report(true);
    setExperimentStatus(db, experiment.id, status);
    channel.send({ type: 'status', experiment_id: experiment.id, status });
    return status;
  } finally {
    policy.dispose();
    await executor.close();
  }
}
