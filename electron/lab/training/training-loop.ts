import { createExecutor } from '#lab/executor/executor.ts';
import type { LabDatabase } from '#lab/store/database.ts';
import { setExperimentStatus } from '#lab/store/experiments.ts';
import { experimentProblems } from '#lab/store/experiment-problems.ts';
import { DiagnosticsRecorder, type QueueSnapshot } from '#lab/diagnostics/diagnostics-recorder.ts';
import { displaySource } from '#lab/env/program-source.ts';
import { RunWriter, truncateRunAfter } from '#lab/store/run-writer.ts';
import type { MemorySnapshot } from '#lab/env/program-memory.ts';
import { parseConfigObject } from '#shared/config/parse-config-yaml.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import type { Experiment, ExperimentStatus } from '#shared/experiments/experiment.ts';
import type { Problem } from '#shared/problems/problem.ts';
import { Checkpointer } from './checkpointer.ts';
import { createRun, type Run } from './create-run.ts';
import { evaluateGreedy } from './greedy-evaluation.ts';
import { problemSchedule } from './problem-schedule.ts';
import { RunControl } from './run-control.ts';
import { RunRecorder } from './run-recorder.ts';
import { RunState, type RunCounters } from './run-state.ts';
import { SearchGuidance } from './search-guidance.ts';
import type { TrainerChannel } from './trainer-channel.ts';

export interface TrainingLoopInput {
  db: LabDatabase;
  dbPath: string;
  experiment: Experiment;
  resume: boolean;
  channel: TrainerChannel;
}

/** What a checkpoint's manifest holds besides the agent's arrays. */
interface CheckpointMeta {
  counters: RunCounters;
  policy: unknown;
  memory?: MemorySnapshot;
}

function configOf(experiment: Experiment): TrainingConfig {
  const parsed = parseConfigObject(experiment.config);
  if (!parsed.config) throw new Error(`experiment ${experiment.id} has an invalid config: ${parsed.findings[0]?.path}: ${parsed.findings[0]?.message}`);
  return parsed.config;
}

/**
 * The run and its counters, fresh or continued from the newest checkpoint (whose later rows and
 * checkpoints are dropped, so the continued run writes exactly what the uninterrupted one would).
 */
async function startOrResume(input: TrainingLoopInput, config: TrainingConfig, problems: Problem[], executor: ReturnType<typeof createExecutor>, checkpointer: Checkpointer) {
  const { db, experiment } = input;
  const seed = config.training.seed ?? experiment.id;
  const latest = input.resume ? checkpointer.latest() : undefined;
  if (!latest) {
    if (input.resume) truncateRunAfter(db, experiment.id, 0);
    return { run: await createRun(config, problems, executor, { seed }), state: RunState.fresh(config), resumedFrom: null };
  }
  const meta = latest.payload.meta as CheckpointMeta;
  const run = await createRun(config, problems, executor, { seed, saved: { meta: meta.policy, arrays: latest.payload.arrays } });
  // Which programs were tried decides what a later episode may write: the memory is part of the state.
  if (meta.memory) run.env.restoreMemory(meta.memory);
  truncateRunAfter(db, experiment.id, latest.episode);
  checkpointer.discardAfter(latest.episode);
  return { run, state: RunState.restore(meta.counters), resumedFrom: latest.episode };
}

/** The diagnostics recorder of a run, its rows batched with the run's other writes. */
function diagnosticsFor(config: TrainingConfig, run: Run, writer: RunWriter): DiagnosticsRecorder {
  const valueAgent = run.definition.reports === 'q-values' && run.definition.learns;
  const agent = config.agent as TrainingConfig['agent'] & { buffer_capacity?: number; success_buffer?: number; success_fraction?: number; gamma?: number };
  return new DiagnosticsRecorder(
    {
      every: config.training.diagnostics_every,
      gamma: agent.gamma ?? 0.99,
      bufferCapacity: agent.buffer_capacity ?? 0,
      successCapacity: agent.success_buffer ?? 0,
      successFraction: agent.success_fraction ?? 0,
      valueAgent,
    },
    (row) => writer.diagnostic(row),
    run.agent.bestPrograms ? () => queuesOf(run) : undefined,
  );
}

/** The agent's best programs per problem, printed as the environment prints programs. */
function queuesOf(run: Run): QueueSnapshot[] {
  return run.problems.map((problem, i) => ({
    problem: problem.name ?? problem.function_name,
    programs: (run.agent.bestPrograms?.(i) ?? []).map((p) => {
      const record = run.memory.peek(i, p.tokens);
      return { code: displaySource(p.tokens, problem), score: p.score, tokens: p.tokens.length, tests_passed: record?.passed ?? null, tests_total: record?.total ?? null };
    }),
  }));
}

/** Trains one experiment to its end (or a stop), reporting and checkpointing on the way. */
export async function runTrainingLoop(input: TrainingLoopInput): Promise<ExperimentStatus> {
  const { db, experiment, channel } = input;
  const config = configOf(experiment);
  const problems = experimentProblems(db, experiment);
  const executor = createExecutor({ timeoutMs: config.environment.test_timeout_ms, warn: (m) => channel.send({ type: 'log', experiment_id: experiment.id, level: 'warn', message: m }) });
  const checkpointer = new Checkpointer(db, experiment.id, input.dbPath, config.training.keep_checkpoints);
  const writer = new RunWriter(db, experiment.id);
  let run: Run | undefined;
  try {
    const started = await startOrResume(input, config, problems, executor, checkpointer);
    run = started.run;
    const { state } = started;
    const { agent, definition } = run;
    state.schedule = (episode, override) => definition.epsilon(episode, config, override);
    if (state.learningRate !== config.agent.learning_rate) agent.setLearningRate(state.learningRate);
    const control = new RunControl(db, experiment.id, channel, state, agent, writer);
    const recorder = new RunRecorder(db, experiment.id, config, writer, channel, state);
    const guidance = new SearchGuidance(run, state);
    const diagnostics = config.training.diagnostics ? diagnosticsFor(config, run, writer) : undefined;
    const scheduleProblem = problemSchedule(config, problems, config.training.seed ?? experiment.id);
    const total = config.training.num_episodes;
    const checkpoint = (kind: 'periodic' | 'best', rate = 0) => {
      recorder.flush();
      // The best checkpoint is for acting and evaluating, never for resuming: no replay buffer in it.
      const saved = agent.save(kind === 'best' ? { experience: false } : undefined);
      const meta: CheckpointMeta = { counters: state.counters(), policy: saved.meta, ...(kind === 'periodic' ? { memory: run!.env.memory.snapshot() } : {}) };
      if (kind === 'best') checkpointer.saveBest(state.episode, rate, { meta, arrays: saved.arrays });
      else checkpointer.save(state.episode, { meta, arrays: saved.arrays });
    };

    setExperimentStatus(db, experiment.id, 'running', { backend: run.backend, trainerPid: process.pid, error: null });
    channel.send({ type: 'started', experiment_id: experiment.id, backend: run.backend, pid: process.pid, resumed_from: started.resumedFrom });
    channel.send({ type: 'status', experiment_id: experiment.id, status: 'running' });

    // Due when a batch of episodes reaches or passes a multiple of `every` (batches are aligned to
    // multiples of num_envs from episode 0, so a resumed run batches exactly as an uninterrupted one).
    const due = (first: number, last: number, every: number) => Math.floor(last / every) > Math.floor((first - 1) / every) || last === total;
    while (state.episode < total && control.running) {
      await control.waitWhilePaused(state, () => recorder.report(true));
      if (!control.running) break;
      // Schedule: a batch of episodes, one per environment, each with its problem and whether it is
      // kept step by step; the batch shares the exploration rate of its first episode.
      const first = state.episode + 1;
      const count = Math.min(config.training.num_envs, total - state.episode);
      const episodes = Array.from({ length: count }, (_, k) => first + k);
      run.setTrainingProgress((first - 1) / total);
      const epsilon = state.epsilonFor(first);
      const problemOf = episodes.map((episode) => scheduleProblem(episode, state.greedySolved));
      const nameOf = (problemIndex: number) => problems[problemIndex]!.name ?? problems[problemIndex]!.function_name;
      // The search's programs and the agent's episodes run on the executor together; each batch is
      // settled in the order it was started.
      const search = guidance.start(problemOf, episodes);
      const kept = episodes.map((episode, k) => episode % config.training.replay_every === 0 || !state.firstSuccessSeen(problemOf[k]!));
      const keep = episodes.map((episode, k) => kept[k]! || (diagnostics?.wantsSteps(episode) ?? false));
      const batch = run.start(episodes.map((_, k) => ({ problemIndex: problemOf[k]!, epsilon, learn: true, keepSteps: keep[k]!, trainFrequency: config.agent.train_frequency, stepsBefore: state.envSteps })));
      await guidance.settle(search);
      const outcomes = await batch.settle();
      // Record.
      outcomes.forEach((outcome, k) => {
        const episode = episodes[k]!;
        const problemIndex = problemOf[k]!;
        // A repeat (e.g. of a search program judged beside it) was reported when it was executed.
        if (outcome.executed) guidance.after(problemIndex, outcome.tokens, outcome.record.testsPassed, outcome.record.testsTotal);
        state.recordEpisode(episode, outcome, problemIndex, epsilon);
        const name = nameOf(problemIndex);
        diagnostics?.episode({ episode, step: state.envSteps, problem: name, tokens: outcome.tokens, decisions: outcome.decisions, learned: definition.learns, success: outcome.record.success, ...(outcome.record.steps ? { steps: outcome.record.steps } : {}), tdErrors: outcome.tdErrors, ...(outcome.policy ? { policy: outcome.policy } : {}) });
        if (outcome.record.success) state.solved(name, outcome.record.code, episode);
        const firstSuccess = outcome.record.success && state.markFirstSuccess(problemIndex);
        recorder.trainingEpisode(episode, name, outcome, epsilon, kept[k]! || firstSuccess, guidance.active);
      });
      // The search learns from its programs; what it found is replayed for the agent to learn from.
      const replayed = await guidance.finish(search);
      replayed.forEach((steps, k) => diagnostics?.replayed(nameOf(problemOf[k]!), episodes[k]!, steps, guidance.hasSolution(problemOf[k]!)));
      // Evaluate greedily and checkpoint.
      const last = episodes[count - 1]!;
      if (due(first, last, config.training.eval_frequency)) {
        const { rate, solved } = await evaluateGreedy(run, state, writer, last);
        recorder.metric('charts/greedy_success_rate', rate);
        recorder.metric('charts/problems_solved', solved);
        if (state.bestGreedy === null || rate > state.bestGreedy) {
          state.bestGreedy = rate;
          checkpoint('best', rate);
        }
      }
      if (due(first, last, config.training.save_frequency)) checkpoint('periodic');
      recorder.report();
    }
    const status: ExperimentStatus = control.running ? 'done' : control.status;
    checkpoint('periodic');
    recorder.report(true);
    setExperimentStatus(db, experiment.id, status);
    channel.send({ type: 'status', experiment_id: experiment.id, status });
    return status;
  } finally {
    run?.dispose();
    await executor.close();
  }
}
