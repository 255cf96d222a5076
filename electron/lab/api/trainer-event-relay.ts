import type { TrainerEvent } from '#shared/training/trainer-events.ts';
import type { ExperimentStatus } from '#shared/experiments/experiment.ts';
import { getExperiment, recordProgress, setExperimentStatus } from '#lab/store/experiments.ts';
import type { TrainerExit } from '#lab/training/trainer-client.ts';
import type { ApiContext } from './api-context.ts';

/** Statuses that mean a trainer is (or was about to be) at work. */
const ACTIVE: readonly ExperimentStatus[] = ['created', 'running', 'paused'];

function persistStatus(ctx: ApiContext, id: number, status: ExperimentStatus, error: string | null): void {
  const current = getExperiment(ctx.db, id);
  if (!current) return;
  if (current.status !== status || (error && current.error !== error)) setExperimentStatus(ctx.db, id, status, error ? { error } : {});
  ctx.emit({ name: 'ExperimentStatusChanged', payload: { experiment_id: id, status, error } });
}

/**
 * Turns what trainers say into API events, and keeps the store's view of each run current even
 * when a trainer dies before it could write its own status.
 */
export function relayTrainerEvent(ctx: ApiContext, event: TrainerEvent): void {
  switch (event.type) {
    case 'started':
      setExperimentStatus(ctx.db, event.experiment_id, 'running', { backend: event.backend, trainerPid: event.pid });
      ctx.emit({ name: 'ExperimentStarted', payload: { experiment_id: event.experiment_id, backend: event.backend, pid: event.pid, resumed_from: event.resumed_from } });
      ctx.emit({ name: 'ExperimentStatusChanged', payload: { experiment_id: event.experiment_id, status: 'running', error: null } });
      return;
    case 'progress': {
      const p = event.progress;
      recordProgress(ctx.db, p.experiment_id, {
        episodesDone: p.episode,
        envSteps: p.env_steps,
        samplesExecuted: p.samples_executed,
        bestSuccessRate: p.greedy_success_rate,
      });
      ctx.emit({ name: 'ExperimentProgressed', payload: p });
      return;
    }
    case 'metrics':
      ctx.emit({ name: 'MetricsAppended', payload: { experiment_id: event.experiment_id, points: event.points } });
      return;
    case 'status':
      persistStatus(ctx, event.experiment_id, event.status, null);
      return;
    case 'log':
      ctx.emit({ name: 'LogLineWritten', payload: { experiment_id: event.experiment_id, level: event.level, message: event.message } });
      return;
    case 'intervention':
      ctx.emit({
        name: 'InterventionRecorded',
        payload: { experiment_id: event.experiment_id, kind: event.kind, value: event.value, episode: event.episode, step: event.step, wall_time: 0 },
      });
      return;
    case 'finished':
      persistStatus(ctx, event.experiment_id, event.status, event.error);
      return;
  }
}

/** A trainer process ended: a run it left active was interrupted (or never started: failed). */
export function relayTrainerExit(ctx: ApiContext, id: number, exit: TrainerExit): void {
  const current = getExperiment(ctx.db, id);
  if (!current || !ACTIVE.includes(current.status)) return;
  const neverStarted = current.backend === null && current.episodes_done === 0;
  persistStatus(ctx, id, neverStarted && exit.status === 'interrupted' ? 'failed' : exit.status, exit.error);
}
