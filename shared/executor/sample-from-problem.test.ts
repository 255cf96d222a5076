import { describe, expect, it } from 'vitest';
import { problemSchema, type ProblemInput } from '../problems/problem.ts';
import { sampleFromProblem } from './sample-from-problem.ts';

const problem = (fields: Partial<ProblemInput>) =>
  problemSchema.parse({ function_name: 'f', docstring: '', test_cases: [[[1, 2], 3]], ...fields });

describe('sampleFromProblem', () => {
  it('spreads a list input into positional arguments for a two-parameter function', () => {
    const sample = sampleFromProblem(problem({ parameters: ['a', 'b'] }), 'code');
    expect(sample).toEqual({ code: 'code', functionName: 'f', tests: [{ args: [1, 2], expected: 3 }] });
  });

  it('passes a list input whole to a one-parameter function', () => {
    const sample = sampleFromProblem(problem({ parameters: ['xs'] }), 'code');
    expect(sample.tests).toEqual([{ args: [[1, 2]], expected: 3 }]);
  });

  it('takes the parameter count from the reference solution when the problem names none', () => {
    const sample = sampleFromProblem(problem({ reference_solution: 'def f(xs):\n    return sum(xs)\n' }), 'code');
    expect(sample.tests).toEqual([{ args: [[1, 2]], expected: 3 }]);
  });

  it('turns the problem tolerance into rel/abs FloatTolerance', () => {
    const sample = sampleFromProblem(problem({ tolerance: { rel_tol: 1e-6, abs_tol: 0.001 } }), 'code');
    expect(sample.tolerance).toEqual({ relTol: 1e-6, absTol: 0.001 });
  });

  it('carries the assert tests and the timeout', () => {
    const sample = sampleFromProblem(problem({ assert_tests: ['assert f(1, 2) == 3'] }), 'code', { timeoutMs: 500 });
    expect([sample.assertTests, sample.timeoutMs]).toEqual([['assert f(1, 2) == 3'], 500]);
  });
});
