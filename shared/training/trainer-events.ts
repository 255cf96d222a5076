import { z } from 'zod';
import { experimentStatusSchema, metricPointSchema } from '../experiments/experiment.ts';

/** Live progress of a run, sent about once a second and at every status change. */
export const trainerProgressSchema = z.object({
  experiment_id: z.number().int(),
  episode: z.number().int(),
  episodes_total: z.number().int(),
  env_steps: z.number().int(),
  samples_executed: z.number().int(),
  epsilon: z.number(),
  learning_rate: z.number(),
  /** Mean return and success rate over the last 100 training episodes. */
  mean_return: z.number(),
  success_rate: z.number(),
  /** Greedy success rate at the last evaluation (fraction of problems solved), if any. */
  greedy_success_rate: z.number().nullable(),
  steps_per_second: z.number(),
  elapsed_seconds: z.number(),
  eta_seconds: z.number().nullable(),
  solved: z.array(z.object({ problem: z.string(), code: z.string(), episode: z.number().int() })),
});
export type TrainerProgress = z.infer<typeof trainerProgressSchema>;

/** What a trainer process says, in order; the parent relays these to the UI and the CLI. */
export const trainerEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), experiment_id: z.number().int(), backend: z.string(), pid: z.number().int(), resumed_from: z.number().int().nullable() }),
  z.object({ type: z.literal('progress'), progress: trainerProgressSchema }),
  z.object({ type: z.literal('metrics'), experiment_id: z.number().int(), points: z.array(metricPointSchema) }),
  z.object({ type: z.literal('status'), experiment_id: z.number().int(), status: experimentStatusSchema }),
  z.object({ type: z.literal('log'), experiment_id: z.number().int(), level: z.enum(['info', 'warn', 'error']), message: z.string() }),
  z.object({
    type: z.literal('intervention'),
    experiment_id: z.number().int(),
    kind: z.string(),
    value: z.number().nullable(),
    episode: z.number().int(),
    step: z.number().int(),
  }),
  z.object({
    type: z.literal('finished'),
    experiment_id: z.number().int(),
    status: experimentStatusSchema,
    error: z.string().nullable(),
  }),
]);
export type TrainerEvent = z.infer<typeof trainerEventSchema>;

/** What the parent may tell a running trainer. */
export const trainerCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pause') }),
  z.object({ type: z.literal('resume') }),
  z.object({ type: z.literal('stop') }),
  /** Steer a running run; every change is recorded and marked on the charts. */
  z.object({ type: z.literal('set_epsilon'), value: z.number().min(0).max(1) }),
  z.object({ type: z.literal('set_learning_rate'), value: z.number().positive().max(1) }),
]);
export type TrainerCommand = z.infer<typeof trainerCommandSchema>;
