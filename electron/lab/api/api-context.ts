import type { LabEvent } from '#shared/api/events.ts';
import { ApiError } from '#shared/api/api-error.ts';
import type { Experiment } from '#shared/experiments/experiment.ts';
import type { LabDatabase } from '#lab/store/database.ts';
import { getExperiment } from '#lab/store/experiments.ts';
import type { SeriesCache } from '#lab/store/series-cache.ts';
import type { SolverManager } from '#lab/solving/solver-manager.ts';
import type { SweepController } from '#lab/sweeps/sweep-controller.ts';
import type { TrainerManager } from '#lab/training/trainer-manager.ts';
import type { LabServices } from './lab-services.ts';

/** What every handler works with: the store, the trainers and solvers, and the event stream. */
export interface ApiContext {
  db: LabDatabase;
  dbPath: string;
  trainers: TrainerManager;
  /** The solve runs working in their own processes. */
  solvers: SolverManager;
  presetsDir: string;
  /** The interpreter setting and an executor made with it. */
  services: LabServices;
  /** Finished runs' metric columns in memory, for compare. */
  series: SeriesCache;
  emit(event: LabEvent): void;
  /** The sweep controller when the lab runs with a queue (`lab serve --queue`). */
  sweeps?: SweepController;
}

export function requireExperiment(ctx: ApiContext, id: number): Experiment {
  const experiment = getExperiment(ctx.db, id);
  if (!experiment) throw new ApiError('not_found', `no experiment ${id}`);
  return experiment;
}

/** Re-reads an experiment and tells every client about its new state. */
export function savedExperiment(ctx: ApiContext, id: number): Experiment {
  const experiment = requireExperiment(ctx, id);
  ctx.emit({ name: 'ExperimentSaved', payload: experiment });
  return experiment;
}
