import { z } from 'zod';
import { isObject } from './humaneval.ts';

/**
 * One line of MBPP's JSONL (google-research `mbpp/mbpp.jsonl`): a one-line `text` prompt, the
 * reference `code`, and assert strings that call a function named only there. `test_setup_code`
 * builds inputs the asserts use; `challenge_test_list` holds extra, harder asserts.
 */
export const mbppRecordSchema = z.looseObject({
  task_id: z.union([z.number().int(), z.string()]).optional(),
  text: z.string(),
  code: z.string(),
  test_list: z.array(z.string()),
  test_setup_code: z.string().default(''),
  challenge_test_list: z.array(z.string()).default([]),
});

export type MbppRecord = z.infer<typeof mbppRecordSchema>;

/** Whether a JSON value looks like an MBPP record (its distinctive keys; types are checked later). */
export function isMbppRecord(value: unknown): boolean {
  return isObject(value) && 'test_list' in value && ('text' in value || 'code' in value);
}
