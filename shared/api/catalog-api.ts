import { z } from 'zod';
import { problemSetSchema } from '../problems/problem.ts';
import { method } from './method.ts';

const findingSchema = z.object({
  severity: z.enum(['error', 'warning']),
  path: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  message: z.string(),
});
export type ApiConfigFinding = z.infer<typeof findingSchema>;

/** A validated config (null when it has errors) and every finding about it. */
export const configValidationSchema = z.object({
  config: z.record(z.string(), z.unknown()).nullable(),
  findings: z.array(findingSchema),
});

export const problemSummarySchema = z.object({
  name: z.string(),
  function_name: z.string(),
  parameters: z.array(z.string()).nullable(),
  docstring: z.string(),
  test_count: z.number().int(),
  difficulty: z.string().nullable(),
});
export type ProblemSummary = z.infer<typeof problemSummarySchema>;

export const presetSchema = z.object({
  name: z.string(),
  /** The preset file's leading comment. */
  description: z.string(),
  yaml: z.string(),
  config: z.record(z.string(), z.unknown()).nullable(),
  findings: z.array(findingSchema),
});
export type Preset = z.infer<typeof presetSchema>;

/** Problem sets, problems, config presets and config validation. */
export const catalogMethods = {
  'problemSets.list': method(z.object({}).optional(), z.array(problemSetSchema)),
  'problems.list': method(z.strictObject({ set_id: z.number().int() }), z.array(problemSummarySchema)),
  'presets.list': method(z.object({}).optional(), z.array(presetSchema)),
  'presets.get': method(z.strictObject({ name: z.string().min(1) }), presetSchema),
  /** Give `yaml` (findings carry line and column) or an already parsed `config` object. */
  'config.validate': method(
    z.union([z.strictObject({ yaml: z.string() }), z.strictObject({ config: z.record(z.string(), z.unknown()) })]),
    configValidationSchema,
  ),
};
