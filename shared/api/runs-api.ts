import { z } from 'zod';
import { metricPointSchema } from '../experiments/experiment.ts';
import { method } from './method.ts';

export const interventionSchema = z.object({
  id: z.number().int(),
  experiment_id: z.number().int(),
  episode: z.number().int(),
  step: z.number().int(),
  wall_time: z.number(),
  /** set_epsilon, set_learning_rate, pause, resume, ... */
  kind: z.string(),
  value: z.number().nullable(),
  created_at: z.string(),
});
export type Intervention = z.infer<typeof interventionSchema>;

export const solvedProblemSchema = z.object({
  problem: z.string(),
  code: z.string(),
  episode: z.number().int(),
  kind: z.string(),
  total_return: z.number(),
  tests_passed: z.number().int(),
  tests_total: z.number().int(),
});
export type SolvedProblem = z.infer<typeof solvedProblemSchema>;

/** Most points metrics.get returns per call; `more` says to ask again with after_step. */
export const METRICS_PAGE_LIMIT = 50_000;

/** What a run wrote: metrics (for charts, history included on reload), interventions, solutions. */
export const runMethods = {
  'metrics.get': method(
    z.strictObject({
      experiment_id: z.number().int().positive(),
      /** Slash-named metrics; all when left out. */
      names: z.array(z.string()).max(200).optional(),
      /** Only points with a step greater than this. */
      after_step: z.number().int().optional(),
    }),
    z.object({ points: z.array(metricPointSchema), names: z.array(z.string()), more: z.boolean() }),
  ),
  'interventions.list': method(z.strictObject({ experiment_id: z.number().int().positive() }), z.array(interventionSchema)),
  /** The best program found for each solved problem (highest return, then shortest). */
  'episodes.solved': method(z.strictObject({ experiment_id: z.number().int().positive() }), z.array(solvedProblemSchema)),
};
