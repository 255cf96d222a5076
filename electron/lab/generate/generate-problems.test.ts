import { afterAll, describe, expect, it } from 'vitest';
import { createExecutor } from '#lab/executor/executor.ts';
import { sampleFromProblem } from '#shared/executor/sample-from-problem.ts';
import { problemSchema } from '#shared/problems/problem.ts';
import { generateProblems } from './generate-problems.ts';

const executor = createExecutor({ cacheSize: 0, warn: () => undefined });
afterAll(() => executor.close());

// Each test runs hundreds of programs in the sandbox: generous limits for a busy machine.
const SLOW = { timeout: 120_000 };

describe('generated problems', () => {
  it('are the same for the same seed and differ for another', SLOW, async () => {
    const a = await generateProblems({ count: 40, seed: 3, executor });
    const b = await generateProblems({ count: 40, seed: 3, executor });
    const c = await generateProblems({ count: 40, seed: 4, executor });
    expect(a.problems).toHaveLength(40);
    expect(b.problems).toEqual(a.problems);
    expect(c.problems.map((p) => p.reference_solution)).not.toEqual(a.problems.map((p) => p.reference_solution));
  });

  it('hold only error-free, non-constant programs with 3-8 tests that their own program passes', SLOW, async () => {
    const { problems } = await generateProblems({ count: 40, seed: 11, executor });
    for (const problem of problems) {
      expect(() => problemSchema.parse(problem)).not.toThrow();
      expect(problem.test_cases.length).toBeGreaterThanOrEqual(3);
      expect(problem.test_cases.length).toBeLessThanOrEqual(8);
      const outputs = new Set(problem.test_cases.map(([, expected]) => JSON.stringify(expected)));
      expect(outputs.size).toBeGreaterThan(1);
      const result = await executor.run(sampleFromProblem(problem, problem.reference_solution!), 'pooled');
      expect(result.verdict).toBe('passed');
    }
  });

  it('keeps one problem per behaviour on the probe inputs', SLOW, async () => {
    const { problems } = await generateProblems({ count: 40, seed: 5, executor });
    const bodies = problems.map((p) => `${p.docstring}|${p.reference_solution!.split('\n').slice(1).join('\n')}`);
    expect(new Set(bodies).size).toBe(bodies.length);
  });
});
