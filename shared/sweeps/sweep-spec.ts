import { z } from 'zod';

/** One swept parameter, in the conventions of W&B sweeps. */
export const sweepParameterSchema = z.union([
  z.strictObject({
    /** Every value, in order (grid), or the values to draw from (random). */
    values: z.array(z.union([z.number(), z.string(), z.boolean()])).min(1, 'expected at least one value').max(1000),
  }),
  z.strictObject({ value: z.union([z.number(), z.string(), z.boolean()]) }),
  z
    .strictObject({
      min: z.number(),
      max: z.number(),
      /** uniform (the default), log_uniform (min > 0; drawn uniformly in log space) or int_uniform. */
      distribution: z.enum(['uniform', 'log_uniform', 'int_uniform']).default('uniform'),
    })
    .refine((p) => p.max >= p.min, { message: 'max must not be below min', path: ['max'] })
    .refine((p) => p.distribution !== 'log_uniform' || p.min > 0, { message: 'log_uniform needs min > 0', path: ['min'] }),
], { error: 'expected {values: [...]}, {value: x} or {min, max, distribution}' });
export type SweepParameter = z.infer<typeof sweepParameterSchema>;

/** Most runs one sweep may expand into. */
export const MAX_SWEEP_RUNS = 10_000;

/**
 * A sweep file: a base config, a problem set, and how to vary the config. Parameter names are the
 * config's dotted keys (`agent.learning_rate`, `training.seed`).
 */
export const sweepSpecSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    /** A preset path (relative to the sweep file, else a bundled preset's name or path) or an inline config. */
    base: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).default({}),
    /** The problem set every run trains on, by name. */
    problems: z.string().trim().min(1).max(200),
    method: z.enum(['grid', 'random'], { error: 'expected grid or random' }),
    parameters: z.record(z.string().regex(/^[a-z_]+(\.[a-z_]+)+$/, 'expected a dotted config key such as agent.learning_rate'), sweepParameterSchema).default({}),
    /** Random only: how many runs to draw. */
    count: z.number().int().min(1).max(MAX_SWEEP_RUNS).optional(),
    /** Random only: seeds the draws, so the same file expands into the same runs. */
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  })
  .superRefine((spec, ctx) => {
    if (spec.method === 'random' && spec.count === undefined) ctx.addIssue({ code: 'custom', path: ['count'], message: 'a random sweep needs count' });
    if (spec.method === 'grid') {
      if (spec.count !== undefined) ctx.addIssue({ code: 'custom', path: ['count'], message: 'count is for random sweeps; a grid runs every combination' });
      for (const [name, p] of Object.entries(spec.parameters)) {
        if ('min' in p) ctx.addIssue({ code: 'custom', path: ['parameters', name], message: 'a grid needs values, not a range' });
      }
    }
  });
export type SweepSpec = z.infer<typeof sweepSpecSchema>;
export type SweepSpecInput = z.input<typeof sweepSpecSchema>;
