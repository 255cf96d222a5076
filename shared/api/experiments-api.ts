import { z } from 'zod';
import { AGENT_KINDS, experimentSchema } from '../experiments/experiment.ts';
import { method } from './method.ts';

const id = z.strictObject({ id: z.number().int().positive() });
const tagsSchema = z.array(z.string().trim().min(1).max(64)).max(32);

export const newExperimentSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  problem_set_id: z.number().int().positive(),
  /** The training config (shared/config/training-config.ts); validated with the same schema as the editor. */
  config: z.record(z.string(), z.unknown()),
  /** Overrides config.agent.type when given. */
  agent: z.enum(AGENT_KINDS).optional(),
  /** Overrides config.training.seed when given. */
  seed: z.number().int().min(0).max(2 ** 31 - 1).nullable().optional(),
  tags: tagsSchema.optional(),
  notes: z.string().max(20_000).optional(),
  /** The experiment this one was cloned from. */
  parent_id: z.number().int().positive().nullable().optional(),
  /** Start training at once (the default). */
  start: z.boolean().optional(),
});
export type NewExperimentInput = z.input<typeof newExperimentSchema>;

/** Experiments: browse, create, edit, and steer their trainers. */
export const experimentMethods = {
  'experiments.list': method(z.object({}).optional(), z.array(experimentSchema)),
  'experiments.get': method(id, experimentSchema),
  /** Creates the row and (unless start is false) starts its trainer. */
  'experiments.create': method(newExperimentSchema, experimentSchema),
  'experiments.rename': method(z.strictObject({ id: z.number().int().positive(), name: z.string().trim().min(1).max(200) }), experimentSchema),
  'experiments.tag': method(z.strictObject({ id: z.number().int().positive(), tags: tagsSchema }), experimentSchema),
  'experiments.note': method(z.strictObject({ id: z.number().int().positive(), notes: z.string().max(20_000) }), experimentSchema),
  /** Stops its trainer first when one runs. */
  'experiments.delete': method(id, z.object({ deleted: z.boolean() })),
  /** A new, not yet started experiment with the same problem set, agent, config, seed and tags. */
  'experiments.clone': method(z.strictObject({ id: z.number().int().positive(), name: z.string().trim().min(1).max(200).optional() }), experimentSchema),
  /** Starts a created experiment's trainer. */
  'experiments.start': method(id, experimentSchema),
  'experiments.pause': method(id, experimentSchema),
  /** Resumes a paused trainer; a paused run whose trainer is gone resumes from its checkpoint. */
  'experiments.resume': method(id, experimentSchema),
  /** Asks the trainer to checkpoint and stop. */
  'experiments.stop': method(id, experimentSchema),
  /** Starts a stopped, interrupted or failed run again from its latest checkpoint. */
  'experiments.resumeFromCheckpoint': method(id, experimentSchema),
  'experiments.setEpsilon': method(z.strictObject({ id: z.number().int().positive(), value: z.number().min(0).max(1) }), z.object({ sent: z.boolean() })),
  'experiments.setLearningRate': method(
    z.strictObject({ id: z.number().int().positive(), value: z.number().positive().max(1) }),
    z.object({ sent: z.boolean() }),
  ),
};
