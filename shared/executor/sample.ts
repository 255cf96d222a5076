import { z } from 'zod';
import { taggedValueSchema } from '../problems/problem.ts';
import type { FloatTolerance } from '../values/python-equality.ts';
import type { TaggedJson } from '../values/tagged-json.ts';

/** One test as the executor runs it: positional arguments (already through the arity rule). */
export interface SampleTest {
  readonly args: readonly TaggedJson[];
  readonly expected: TaggedJson;
}

/** A candidate program and the tests that judge it. */
export interface Sample {
  readonly code: string;
  /** The entry point the code must define. */
  readonly functionName: string;
  readonly tests: readonly SampleTest[];
  /**
   * Assert-style tests (Python snippets from dataset conversion, see Problem.assert_tests): each runs
   * after the pair tests in the candidate's namespace and passes when it raises nothing. They are
   * arbitrary dataset code, so a sample that has any always runs in a forked child, never in-process.
   */
  readonly assertTests?: readonly string[];
  /** Float tolerance for comparisons (the problem's own, else the default). */
  readonly tolerance?: FloatTolerance;
  /** Wall-clock budget per test in milliseconds (the executor's default when absent). */
  readonly timeoutMs?: number;
}

/** The executor's two tiers (docs/architecture.md, "Executor tiers"). */
export const TIERS = ['pooled', 'isolated'] as const;
export type Tier = (typeof TIERS)[number];

/**
 * One case of a run-samples file, in the format of ../shared/adversarial/cases.json: test cases
 * are `[positional_args, expected]`, values in tagged JSON.
 */
export const sampleCaseSchema = z.object({
  name: z.string().min(1),
  function_name: z.string().min(1),
  code: z.string(),
  test_cases: z.array(
    z.tuple([z.array(taggedValueSchema, { error: 'expected the list of positional arguments' }), taggedValueSchema], {
      error: 'expected [positional_args, expected]',
    }),
  ),
  /** Whether the sample as a whole must count as passing (optional outside the adversarial file). */
  expect_passed: z.boolean().optional(),
  /** The verdict class expected, in words (see shared/executor/outcome-match.ts). */
  expect_outcome: z.string().optional(),
});
export type SampleCase = z.infer<typeof sampleCaseSchema>;

export const sampleCaseFileSchema = z.array(sampleCaseSchema, { error: 'expected a JSON array of cases' });

/** The executor's view of a case. */
export function sampleFromCase(c: SampleCase, timeoutMs?: number): Sample {
  return {
    code: c.code,
    functionName: c.function_name,
    tests: c.test_cases.map(([args, expected]) => ({ args, expected })),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
}
