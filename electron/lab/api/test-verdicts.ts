import type { TestRun, TestVerdict } from '#shared/api/episodes-api.ts';
import type { Tier } from '#shared/executor/sample.ts';
import { sampleFromProblem } from '#shared/executor/sample-from-problem.ts';
import type { Problem } from '#shared/problems/problem.ts';
import { pyRepr } from '#shared/values/py-value.ts';
import { decodeTagged } from '#shared/values/tagged-json.ts';
import type { Executor } from '#lab/executor/executor.ts';
import { SandboxRefusedError } from '#lab/executor/worker-pool.ts';

const repr = (raw: unknown): string => {
  try {
    return pyRepr(decodeTagged(raw));
  } catch {
    return JSON.stringify(raw);
  }
};

/**
 * Runs code against a problem's tests and says, test by test, what went in, what was expected and
 * what came out (Python reprs), as the replay's final verdicts and the reference check show them.
 */
export async function runTests(executor: Executor, problem: Problem, code: string, tier: Tier): Promise<TestRun> {
  const sample = sampleFromProblem(problem, code);
  const total = sample.tests.length + (sample.assertTests?.length ?? 0);
  let result;
  try {
    result = await executor.run(sample, tier);
  } catch (error) {
    if (!(error instanceof SandboxRefusedError)) throw error;
    return { verdict: 'refused', passed: 0, total, tests: [], output: error.message };
  }
  const tests = result.tests.map((t, i): TestVerdict => {
    const common = {
      test: i + 1,
      verdict: t.ran ? t.verdict : `${t.verdict} (not run)`,
      ...(t.exception ? { exception: t.exception } : {}),
      ...(t.message ? { message: t.message } : {}),
    };
    const pair = sample.tests[i];
    if (!pair) return { ...common, kind: 'assert', assert: sample.assertTests?.[i - sample.tests.length] ?? '' };
    return {
      ...common,
      kind: 'pair',
      input: `${problem.function_name}(${pair.args.map(repr).join(', ')})`,
      expected: repr(pair.expected),
      ...(t.actual === undefined ? {} : { actual: repr(t.actual) }),
    };
  });
  return { verdict: result.verdict, passed: result.passed, total: result.total, tests, output: result.output };
}
