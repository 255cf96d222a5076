import { z } from 'zod';
import { BAND_KINDS } from '../compare/series-math.ts';
import { experimentSchema } from '../experiments/experiment.ts';
import { method } from './method.ts';

export { BAND_KINDS };
export const X_AXES = ['step', 'episode', 'wall_time'] as const;
export type XAxis = (typeof X_AXES)[number];

/** The most runs one compare takes: a sweep makes 50-200, with room to spare. */
export const MAX_COMPARE_RUNS = 500;
const runIds = z.array(z.number().int().positive()).min(1).max(MAX_COMPARE_RUNS);

export const bucketSchema = z.object({
  x: z.number(),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  last: z.number(),
  smooth: z.number(),
  count: z.number().int(),
});

export const compareSeriesSchema = z.object({
  name: z.string(),
  x: z.enum(X_AXES),
  /** The range the buckets cover (the zoom, or every run's whole range). */
  x_min: z.number(),
  x_max: z.number(),
  buckets: z.number().int(),
  runs: z.array(z.object({ experiment_id: z.number().int(), total_points: z.number().int(), buckets: z.array(bucketSchema) })),
});
export type CompareSeries = z.infer<typeof compareSeriesSchema>;

export const stepSummaryRowSchema = z.object({
  experiment_id: z.number().int(),
  name: z.string(),
  value: z.number().nullable(),
  value_step: z.number().int().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  best: z.number().nullable(),
  best_step: z.number().int().nullable(),
  points: z.number().int(),
  lower_is_better: z.boolean(),
});
export type StepSummaryRow = z.infer<typeof stepSummaryRowSchema>;

export const solvedCellSchema = z.object({
  experiment_id: z.number().int(),
  problem: z.string(),
  /** Episodes of this run on this problem, and how many passed every test. */
  attempts: z.number().int(),
  successes: z.number().int(),
  /** The first successful episode (its row id, for the replay link) and its number. */
  first_success_id: z.number().int().nullable(),
  first_success_episode: z.number().int().nullable(),
  /** The best attempt when none succeeded (most tests passed), for its replay link. */
  best_id: z.number().int().nullable(),
  best_tests_passed: z.number().int().nullable(),
  tests_total: z.number().int().nullable(),
});
export type SolvedCell = z.infer<typeof solvedCellSchema>;

/** Several runs side by side: bucketed series, the table at a step, the solved matrix, exports. */
export const compareMethods = {
  /**
   * The runs to compare in one call (a sweep has hundreds): each experiment, the metric names any
   * of them has, and the ids that name no experiment (left out, so the rest can still be shown).
   */
  'compare.runs': method(
    z.strictObject({ experiment_ids: runIds }),
    z.object({ experiments: z.array(experimentSchema), metric_names: z.array(z.string()), missing: z.array(z.number().int()) }),
  ),
  /**
   * One metric of several runs, every point kept: each run's points (smoothed with `smoothing`
   * over the whole run) fall into `buckets` columns over [x_min, x_max] with their min, max, mean
   * and last value. Zooming asks again with a narrower range, and the columns refine.
   */
  'compare.series': method(
    z.strictObject({
      experiment_ids: runIds,
      name: z.string().min(1),
      x: z.enum(X_AXES).default('step'),
      smoothing: z.number().min(0).max(0.999).default(0),
      buckets: z.number().int().min(1).max(5000).default(600),
      x_min: z.number().optional(),
      x_max: z.number().optional(),
    }),
    compareSeriesSchema,
  ),
  /** Value at a step (last point at or before it), min, max, best and the step of the best. */
  'compare.summary': method(
    z.strictObject({ experiment_ids: runIds, names: z.array(z.string()).max(200).optional(), at_step: z.number().int().nullable().optional() }),
    z.object({ names: z.array(z.string()), rows: z.array(stepSummaryRowSchema), max_step: z.number().int() }),
  ),
  /** Problem x run: attempts, successes, and the episodes to replay. */
  'compare.solved': method(z.strictObject({ experiment_ids: runIds }), z.object({ problems: z.array(z.string()), cells: z.array(solvedCellSchema) })),
  /** Every metric point of the runs (long format), with each run's config: the "all metrics" export. */
  'compare.export': method(
    z.strictObject({ experiment_ids: runIds, format: z.enum(['csv', 'json']) }),
    z.object({ filename: z.string(), mime: z.string(), text: z.string() }),
  ),
};
