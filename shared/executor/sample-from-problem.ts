import type { Problem } from '../problems/problem.ts';
import { inferParameters, testArguments } from '../problems/test-arguments.ts';
import type { FloatTolerance } from '../values/python-equality.ts';
import type { Sample } from './sample.ts';

export interface SampleFromProblemOptions {
  /** Wall-clock budget per test in milliseconds (the executor's default when absent). */
  readonly timeoutMs?: number;
}

/** The executor's FloatTolerance for a problem's `tolerance` field (absent: the executor's default). */
export function problemTolerance(problem: Pick<Problem, 'tolerance'>): FloatTolerance | undefined {
  return problem.tolerance && { relTol: problem.tolerance.rel_tol, absTol: problem.tolerance.abs_tol };
}

/**
 * The sample that judges `code` against a problem: its `[input, expected]` pairs turned into
 * positional arguments by the arity rule (shared/problems/test-arguments.ts), its float tolerance,
 * and its assert-style tests. The parameter count is the problem's own `parameters`, else what its
 * starter code or reference solution declares, exactly as the importer resolves it.
 */
export function sampleFromProblem(problem: Problem, code: string, options: SampleFromProblemOptions = {}): Sample {
  const parameterCount = inferParameters(problem)?.length;
  const tolerance = problemTolerance(problem);
  const asserts = problem.assert_tests ?? [];
  return {
    code,
    functionName: problem.function_name,
    tests: problem.test_cases.map(([input, expected]) => ({ args: testArguments(input, parameterCount), expected })),
    ...(asserts.length ? { assertTests: asserts } : {}),
    ...(tolerance ? { tolerance } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
}
