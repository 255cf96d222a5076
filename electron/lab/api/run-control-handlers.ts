import { ApiError } from '#shared/api/api-error.ts';
import type { Experiment, ExperimentStatus } from '#shared/experiments/experiment.ts';
import type { TrainerCommand } from '#shared/training/trainer-events.ts';
import { setExperimentStatus } from '#lab/store/experiments.ts';
import { isSweepRun } from '#lab/sweeps/sweep-store.ts';
import { requireExperiment, savedExperiment, type ApiContext } from './api-context.ts';
import type { HandlerMap } from './handler-map.ts';

/** Statuses a run can be resumed from its latest checkpoint in. */
const RESUMABLE: readonly ExperimentStatus[] = ['paused', 'stopped', 'interrupted', 'failed', 'done'];

/** How long delete waits for a stopping trainer to checkpoint and leave before it kills it. */
const STOP_GRACE_MS = 15_000;

/** Starts the experiment's trainer and marks it running (the trainer confirms with its backend). */
export function startTrainer(ctx: ApiContext, id: number, resume: boolean): Experiment {
  if (ctx.trainers.isRunning(id)) throw new ApiError('conflict', `experiment ${id} is already training`);
  // A second trainer here would write the run beside its worker's attempts.
  if (isSweepRun(ctx.db, id)) throw new ApiError('conflict', `experiment ${id} is a run of a sweep: the sweep's workers train it`);
  let handle;
  try {
    handle = ctx.trainers.start(id, resume);
  } catch (error) {
    throw new ApiError('internal', `the trainer could not start: ${(error as Error).message}`);
  }
  setExperimentStatus(ctx.db, id, 'running', { trainerPid: handle.pid ?? null, error: null });
  ctx.emit({ name: 'ExperimentStatusChanged', payload: { experiment_id: id, status: 'running', error: null } });
  return savedExperiment(ctx, id);
}

/** Resolves when the experiment's trainer has exited (or after the grace period). */
export function trainerExited(ctx: ApiContext, id: number, graceMs = STOP_GRACE_MS): Promise<void> {
  if (!ctx.trainers.isRunning(id)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, graceMs);
    function done() {
      clearTimeout(timer);
      ctx.trainers.off('exit', onExit);
      resolve();
    }
    function onExit(exitedId: number) {
      if (exitedId === id) done();
    }
    ctx.trainers.on('exit', onExit);
  });
}

function send(ctx: ApiContext, id: number, command: TrainerCommand): Experiment {
  const experiment = requireExperiment(ctx, id);
  if (!ctx.trainers.command(id, command)) {
    throw new ApiError('not_running', `experiment ${id} has no running trainer (status: ${experiment.status})`);
  }
  return experiment;
}

export const runControlHandlers = {
  'experiments.start': ({ id }, ctx) => {
    const experiment = requireExperiment(ctx, id);
    if (experiment.status !== 'created') {
      throw new ApiError('conflict', `experiment ${id} has already run (status: ${experiment.status}); resume it from its checkpoint instead`);
    }
    return startTrainer(ctx, id, false);
  },
  'experiments.pause': ({ id }, ctx) => send(ctx, id, { type: 'pause' }),
  'experiments.resume': ({ id }, ctx) => {
    const experiment = requireExperiment(ctx, id);
    if (ctx.trainers.isRunning(id)) return send(ctx, id, { type: 'resume' });
    if (experiment.status === 'paused' || experiment.status === 'interrupted') return startTrainer(ctx, id, true);
    throw new ApiError('not_running', `experiment ${id} is not paused (status: ${experiment.status})`);
  },
  'experiments.stop': ({ id }, ctx) => {
    const experiment = requireExperiment(ctx, id);
    if (ctx.trainers.isRunning(id)) return send(ctx, id, { type: 'stop' });
    if (experiment.status === 'paused' || experiment.status === 'created') {
      setExperimentStatus(ctx.db, id, 'stopped');
      ctx.emit({ name: 'ExperimentStatusChanged', payload: { experiment_id: id, status: 'stopped', error: null } });
      return savedExperiment(ctx, id);
    }
    throw new ApiError('not_running', `experiment ${id} is not running (status: ${experiment.status})`);
  },
  'experiments.resumeFromCheckpoint': ({ id }, ctx) => {
    const experiment = requireExperiment(ctx, id);
    if (!RESUMABLE.includes(experiment.status)) {
      throw new ApiError('conflict', `experiment ${id} cannot resume from a checkpoint while ${experiment.status}`);
    }
    return startTrainer(ctx, id, true);
  },
  'experiments.setEpsilon': ({ id, value }, ctx) => {
    send(ctx, id, { type: 'set_epsilon', value });
    return { sent: true };
  },
  'experiments.setLearningRate': ({ id, value }, ctx) => {
    send(ctx, id, { type: 'set_learning_rate', value });
    return { sent: true };
  },
} satisfies HandlerMap<
  | 'experiments.start'
  | 'experiments.pause'
  | 'experiments.resume'
  | 'experiments.stop'
  | 'experiments.resumeFromCheckpoint'
  | 'experiments.setEpsilon'
  | 'experiments.setLearningRate'
>;
