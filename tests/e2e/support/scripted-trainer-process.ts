/**
 * A stand-in trainer process for UI tests: it speaks the real trainer protocol (processChannel),
 * writes to the real store (RunWriter) and obeys pause, resume, stop and steering, but "trains" by
 * a scripted curve, so the UI can be tested end to end whatever state the real training loop is in.
 */
import { openDatabase } from '#lab/store/database.ts';
import { getExperiment, recordProgress, setExperimentStatus } from '#lab/store/experiments.ts';
import { RunWriter, type StepRecord } from '#lab/store/run-writer.ts';
import { programSource } from '#lab/env/program-source.ts';
import { tokenId } from '#shared/env/token-vocabulary.ts';
import { processChannel } from '#lab/training/trainer-channel.ts';
import type { TrainerStart } from '#lab/training/trainer-client.ts';

const EPISODE_MS = Number(process.env.SCRIPTED_TRAINER_EPISODE_MS ?? 60);
const STEPS_PER_EPISODE = 8;
const PROBLEMS = ['add_numbers', 'is_even', 'max_of_two'];
/** What the scripted agent writes: a chosen token, then the tokens the grammar forced after it. */
const PROGRAM: string[][] = [['return'], ['P0'], ['+'], ['P1', 'NEWLINE', 'END']];

const start = JSON.parse(process.argv[2] ?? '{}') as TrainerStart;
const channel = processChannel();
const db = openDatabase(start.dbPath);
const experiment = getExperiment(db, start.experimentId)!;
const id = experiment.id;
const writer = new RunWriter(db, id, 10_000);
let episode = start.resume ? experiment.episodes_done : 0;
/** Runs with other seeds or learning rates draw other curves, so compare has something to show. */
const agentConfig = (experiment.config as { agent?: { learning_rate?: number } }).agent ?? {};
const shift = ((experiment.seed ?? 0) % 7) * 0.3 + Math.log10((agentConfig.learning_rate ?? 0.0001) / 0.0001);
let epsilon = 1;
let learningRate = 0.0001;
let paused = false;
let stopping = false;
const t0 = Date.now();
const solved: { problem: string; code: string; episode: number }[] = [];

channel.onCommand((command) => {
  const step = episode * STEPS_PER_EPISODE;
  const wall = (Date.now() - t0) / 1000;
  if (command.type === 'pause' || command.type === 'resume') {
    paused = command.type === 'pause';
    setExperimentStatus(db, id, paused ? 'paused' : 'running');
    channel.send({ type: 'status', experiment_id: id, status: paused ? 'paused' : 'running' });
  } else if (command.type === 'stop') {
    stopping = true;
  } else {
    if (command.type === 'set_epsilon') epsilon = command.value;
    else learningRate = command.value;
    writer.intervention(episode, step, wall, command.type, command.value);
    channel.send({ type: 'intervention', experiment_id: id, kind: command.type, value: command.value, episode, step });
  }
});
channel.onParentGone(() => (stopping = true));

setExperimentStatus(db, id, 'running', { backend: 'scripted', trainerPid: process.pid });
channel.send({ type: 'started', experiment_id: id, backend: 'scripted', pid: process.pid, resumed_from: start.resume ? episode : null });

function trainOneEpisode(): void {
  episode += 1;
  const step = episode * STEPS_PER_EPISODE;
  const wall = (Date.now() - t0) / 1000;
  const progress = episode / experiment.episodes_total;
  epsilon = Math.max(0.05, epsilon * 0.97);
  const values: Record<string, number> = {
    'charts/episodic_return': -5 + 15 * progress + Math.sin(episode) * 0.5 + shift,
    'charts/success_rate': Math.min(1, progress * 1.2),
    'charts/epsilon': epsilon,
    'losses/td_loss': 1 / (1 + episode * 0.1),
    'rewards/correctness': 8 * progress,
    'rewards/quality': 1 + Math.cos(episode) * 0.2,
  };
  const points = Object.entries(values).map(([name, value]) => ({ name, step, episode, wall_time: wall, value }));
  for (const p of points) writer.metric(p.name, p.step, p.episode, p.wall_time, p.value);
  const problem = PROBLEMS[episode % PROBLEMS.length]!;
  const success = episode >= 5 && !solved.some((s) => s.problem === problem);
  const tokens = PROGRAM.flat().map(tokenId);
  const code = programSource(tokens, { function_name: problem, parameters: ['a', 'b'], test_cases: [] });
  const steps: StepRecord[] = PROGRAM.map((written, t) => ({
    t,
    action: tokenId(written[0]!),
    token: written.join(' '),
    validActions: 40 - t * 7,
    topQ: [[tokenId(written[0]!), 1.5 - t * 0.1], [tokenId('-'), 0.4 - t * 0.05], [tokenId('0'), 0.1]],
    explored: t === 1 && episode % 2 === 0,
    reward: t === PROGRAM.length - 1 ? (success ? 10 : 2) : 0.1,
    rewardParts: t === PROGRAM.length - 1 ? { correctness: success ? 8 : 1, quality: 1, efficiency: 1, progress: 0 } : { correctness: 0, quality: 0.1, efficiency: 0, progress: 0 },
  }));
  if (success) solved.push({ problem, code, episode });
  writer.episode({
    episode, problemName: problem, kind: 'train', totalReturn: values['charts/episodic_return']!, length: 5, success, code,
    testsPassed: success ? 3 : 1, testsTotal: 3, verdicts: success ? ['passed', 'passed', 'passed'] : ['passed', 'wrong_answer', 'wrong_answer'], steps,
  });
  writer.flush();
  recordProgress(db, id, { episodesDone: episode, envSteps: step, samplesExecuted: episode, bestSuccessRate: values['charts/success_rate']! });
  channel.send({ type: 'metrics', experiment_id: id, points });
  const elapsed = (Date.now() - t0) / 1000;
  channel.send({
    type: 'progress',
    progress: {
      experiment_id: id, episode, episodes_total: experiment.episodes_total, env_steps: step, samples_executed: episode, epsilon,
      learning_rate: learningRate, mean_return: values['charts/episodic_return']!, success_rate: values['charts/success_rate']!,
      greedy_success_rate: values['charts/success_rate']!, steps_per_second: step / Math.max(elapsed, 0.001), elapsed_seconds: elapsed,
      eta_seconds: ((experiment.episodes_total - episode) * EPISODE_MS) / 1000, solved,
    },
  });
}

function finish(status: 'done' | 'stopped'): void {
  writer.flush();
  setExperimentStatus(db, id, status);
  channel.send({ type: 'status', experiment_id: id, status });
  channel.send({ type: 'finished', experiment_id: id, status, error: null });
  db.close();
  setTimeout(() => process.exit(0), 100);
}

const timer = setInterval(() => {
  if (stopping) {
    clearInterval(timer);
    finish('stopped');
  } else if (!paused) {
    trainOneEpisode();
    if (episode >= experiment.episodes_total) {
      clearInterval(timer);
      finish('done');
    }
  }
}, EPISODE_MS);
