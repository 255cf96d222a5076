import { z } from 'zod';

/**
 * An experiment's life: created -> running <-> paused -> done | stopped | failed. A run whose trainer
 * died without saying so (kill -9, power loss) is found "running" with no process and becomes
 * interrupted; it can be resumed from its last checkpoint.
 */
export const EXPERIMENT_STATUSES = ['created', 'running', 'paused', 'done', 'stopped', 'interrupted', 'failed'] as const;
export const experimentStatusSchema = z.enum(EXPERIMENT_STATUSES);
export type ExperimentStatus = z.infer<typeof experimentStatusSchema>;

export { AGENT_KINDS } from '../agents/agent-kinds.ts';

export const experimentSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  agent: z.string(),
  problem_set_id: z.number().int().nullable(),
  problem_set_name: z.string(),
  /** The training config as it ran (shared/config/training-config.ts). */
  config: z.record(z.string(), z.unknown()),
  status: experimentStatusSchema,
  backend: z.string().nullable(),
  seed: z.number().int().nullable(),
  tags: z.array(z.string()),
  notes: z.string(),
  parent_id: z.number().int().nullable(),
  episodes_done: z.number().int(),
  episodes_total: z.number().int(),
  env_steps: z.number().int(),
  samples_executed: z.number().int(),
  best_success_rate: z.number().nullable(),
  error: z.string().nullable(),
  trainer_pid: z.number().int().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  updated_at: z.string(),
});
export type Experiment = z.infer<typeof experimentSchema>;

/** One metric point; names are slash-named (`charts/episodic_return`, `losses/td_loss`). */
export const metricPointSchema = z.object({
  name: z.string(),
  step: z.number().int(),
  episode: z.number().int(),
  wall_time: z.number(),
  value: z.number(),
});
export type MetricPoint = z.infer<typeof metricPointSchema>;
