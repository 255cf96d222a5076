import { z } from 'zod';

/**
 * One line of HumanEval's JSONL (openai/human-eval `data/HumanEval.jsonl.gz`; mxeval's MBPP release
 * uses the same shape): a signature-and-docstring `prompt`, the `canonical_solution` body that
 * completes it, and a `test` module whose `check(candidate)` asserts against `candidate`.
 */
export const humanEvalRecordSchema = z.looseObject({
  task_id: z.string().optional(),
  prompt: z.string(),
  canonical_solution: z.string().optional(),
  test: z.string(),
  entry_point: z.string(),
});

export type HumanEvalRecord = z.infer<typeof humanEvalRecordSchema>;

/**
 * Whether a JSON value looks like a HumanEval record. Only the distinctive keys are checked, so a
 * record with a wrong field type is still routed here and refused with a precise message.
 */
export function isHumanEvalRecord(value: unknown): boolean {
  return isObject(value) && 'prompt' in value && 'entry_point' in value && 'test' in value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
