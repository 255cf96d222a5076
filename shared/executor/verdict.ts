import { z } from 'zod';

/**
 * How one test (and, summarised, one sample) ended. The UI shows these names as they are, and the
 * reward reads only `passed` counts, so the list is closed: every failure mode has exactly one name.
 */
export const VERDICTS = [
  'passed',
  'wrong_answer',
  /** The entry point raised (the exception type and a short message come with it). */
  'runtime_error',
  /** A test ran past its wall-clock budget (or its CPU limit); the worker was killed. */
  'timeout',
  /** The code did not load: a syntax error, or its top-level code raised (e.g. an unknown import). */
  'compile_error',
  /** The process died by a signal or exited on its own during a test. */
  'crash',
  /** MemoryError under the address-space limit. */
  'memory_limit',
  /** The result's JSON would exceed the executor's size limit. */
  'output_limit',
  /** The result has a type tagged JSON cannot carry (a generator, a custom object...). */
  'unserializable',
  'missing_entry_point',
  /** The entry point cannot take the test's number of positional arguments. */
  'wrong_arity',
] as const;

export const verdictSchema = z.enum(VERDICTS);
export type Verdict = z.infer<typeof verdictSchema>;

export const testResultSchema = z.object({
  verdict: verdictSchema,
  /** The actual value in tagged JSON, when the test returned one (passed or wrong_answer). */
  actual: z.unknown().optional(),
  /** Exception type name for runtime_error/compile_error/wrong_arity. */
  exception: z.string().optional(),
  /** A short human message (exception text, signal, limit). */
  message: z.string().optional(),
  /** Milliseconds the call took in the worker, when it returned. */
  ms: z.number().optional(),
  /**
   * `assert` for an assert-style test (they follow the pair tests in `tests`); absent for an
   * `[input, expected]` test.
   */
  kind: z.literal('assert').optional(),
  /** False for tests that never ran because an earlier test ended the sample (timeout, crash). */
  ran: z.boolean(),
});
export type TestResult = z.infer<typeof testResultSchema>;

export const sampleResultSchema = z.object({
  /** passed when every test (pairs and asserts) passed, else the verdict of the first that did not. */
  verdict: verdictSchema,
  passed: z.number().int().min(0),
  total: z.number().int().min(0),
  tests: z.array(testResultSchema),
  tier: z.enum(['pooled', 'isolated']),
  /** inproc: ran inside a pooled worker; fork: in a fresh process forked from a warm worker. */
  mode: z.enum(['inproc', 'fork']),
  /** For compile_error: `compile` (syntax) or `load` (top-level code raised). */
  stage: z.enum(['compile', 'load']).optional(),
  /** The first 2 KiB the sample printed through sys.stdout/sys.stderr, and how much in all. */
  output: z.string(),
  outputBytes: z.number().int().min(0),
  /** True when the result came from the cache (keyed by code and tests). */
  cached: z.boolean(),
});
export type SampleResult = z.infer<typeof sampleResultSchema>;

/** Fraction of tests passed: what the reward reads. */
export function passFraction(result: Pick<SampleResult, 'passed' | 'total'>): number {
  return result.total === 0 ? 0 : result.passed / result.total;
}
