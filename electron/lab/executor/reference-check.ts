import type { Tier } from '#shared/executor/sample.ts';
import { sampleFromProblem } from '#shared/executor/sample-from-problem.ts';
import type { SampleResult, Verdict } from '#shared/executor/verdict.ts';
import type { Problem } from '#shared/problems/problem.ts';
import { pyRepr } from '#shared/values/py-value.ts';
import { decodeTagged, type TaggedJson } from '#shared/values/tagged-json.ts';
import type { Executor } from './executor.ts';
import { SandboxRefusedError } from './worker-pool.ts';

/** One test a reference solution failed, rendered for people (Python reprs). */
export interface FailedTest {
  /** 1-based position among the sample's tests (pairs first, then asserts). */
  readonly test: number;
  readonly kind: 'pair' | 'assert';
  /** The call as Python would write it, e.g. `add(2, 3)` (pair tests). */
  readonly input?: string;
  readonly expected?: string;
  /** The value the reference returned, when it returned one. */
  readonly actual?: string;
  /** The assert snippet (assert tests). */
  readonly assert?: string;
  /** A verdict, or `refused` when no sandbox could run the reference. */
  readonly verdict: Verdict | 'refused';
  readonly exception?: string;
  readonly message?: string;
}

export interface ReferenceFailure {
  readonly problem: string;
  readonly functionName: string;
  readonly verdict: Verdict | 'refused';
  readonly passed: number;
  readonly total: number;
  readonly failedTests: FailedTest[];
  /** The head of what the reference printed (often the reason). */
  readonly output?: string;
}

export interface ReferenceReport {
  readonly checked: number;
  readonly passed: number;
  readonly failed: number;
  readonly withoutReference: number;
  readonly failures: ReferenceFailure[];
}

export interface ReferenceCheckOptions {
  readonly tier?: Tier;
  /** Per-test wall-clock budget. */
  readonly timeoutMs?: number;
}

const repr = (raw: unknown): string => {
  try {
    return pyRepr(decodeTagged(raw));
  } catch {
    return JSON.stringify(raw);
  }
};

function failedTests(problem: Problem, sample: ReturnType<typeof sampleFromProblem>, result: SampleResult): FailedTest[] {
  const failed: FailedTest[] = [];
  result.tests.forEach((t, i) => {
    if (t.verdict === 'passed') return;
    const common = {
      test: i + 1,
      verdict: t.verdict,
      ...(t.exception ? { exception: t.exception } : {}),
      ...(t.message ? { message: t.message } : {}),
    };
    const pair = sample.tests[i];
    if (pair) {
      failed.push({
        ...common,
        kind: 'pair',
        input: `${problem.function_name}(${pair.args.map((a: TaggedJson) => repr(a)).join(', ')})`,
        expected: repr(pair.expected),
        ...(t.actual === undefined ? {} : { actual: repr(t.actual) }),
      });
    } else {
      failed.push({ ...common, kind: 'assert', assert: sample.assertTests?.[i - sample.tests.length] ?? '' });
    }
  });
  return failed;
}

/**
 * Runs every problem's reference solution against its own tests (pairs and asserts) and reports
 * those that fail: the check that the conversion and the executor agree with the datasets. All
 * samples are submitted at once; the executor batches them over its workers.
 */
export async function checkReferenceSolutions(
  executor: Executor,
  problems: readonly Problem[],
  options: ReferenceCheckOptions = {},
): Promise<ReferenceReport> {
  const withReference = problems.filter((p): p is Problem & { reference_solution: string } => Boolean(p.reference_solution));
  const outcomes = await Promise.all(
    withReference.map(async (problem): Promise<ReferenceFailure | undefined> => {
      const sample = sampleFromProblem(problem, problem.reference_solution, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
      const base = { problem: problem.name ?? problem.function_name, functionName: problem.function_name };
      try {
        const result = await executor.run(sample, options.tier ?? 'isolated');
        if (result.verdict === 'passed') return undefined;
        return {
          ...base,
          verdict: result.verdict,
          passed: result.passed,
          total: result.total,
          failedTests: failedTests(problem, sample, result),
          ...(result.output ? { output: result.output } : {}),
        };
      } catch (error) {
        if (!(error instanceof SandboxRefusedError)) throw error;
        const total = sample.tests.length + (sample.assertTests?.length ?? 0);
        return { ...base, verdict: 'refused', passed: 0, total, failedTests: [], output: error.message };
      }
    }),
  );
  const failures = outcomes.filter((f): f is ReferenceFailure => f !== undefined);
  return {
    checked: withReference.length,
    passed: withReference.length - failures.length,
    failed: failures.length,
    withoutReference: problems.length - withReference.length,
    failures,
  };
}
