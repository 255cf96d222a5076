import { afterAll, describe, expect, it } from 'vitest';
import { createExecutor } from '#lab/executor/executor.ts';
import type { Sample } from '#shared/executor/sample.ts';
import { tokenIds } from '#shared/env/token-vocabulary.ts';
import { problemSchema, type Problem } from '#shared/problems/problem.ts';
import { programSource } from '#lab/env/program-source.ts';
import { sampleFromProblem } from '#shared/executor/sample-from-problem.ts';
import { py, type PyValue } from '#shared/values/py-value.ts';
import { decodeTagged } from '#shared/values/tagged-json.ts';
import { loopSearch, loopsOver } from './loop-search.ts';
import { probeProgram } from './loop-sketches.ts';
import { enumerateWithEquivalence } from './observational-enumerator.ts';

const executor = createExecutor({ cacheSize: 0, warn: () => undefined });
afterAll(() => executor.close());

const problem = (p: Record<string, unknown>): Problem => problemSchema.parse(p);

/** The executor, recording each program it is asked to run. */
function recording() {
  const ran: string[] = [];
  return { ran, judge: { run: (sample: Sample, tier?: 'pooled') => (ran.push(sample.code), executor.run(sample, tier)) } };
}

/** Loop search after a one-line enumeration of `oneLineBudget` programs, from the values it kept. */
async function searchLoops(p: Problem, budget: number, oneLineBudget = 200, searchFallback?: Parameters<typeof loopSearch>[0]['searchFallback']) {
  const { ran, judge } = recording();
  const oneLine = await enumerateWithEquivalence({ problem: p, executor, budget: oneLineBudget, maxSteps: 16, stopAtSolution: false });
  const result = await loopSearch({ problem: p, executor: judge, budget, values: oneLine.values, ...(searchFallback ? { searchFallback } : {}) });
  return { result, ran };
}

const isPrime = problem({
  function_name: 'is_prime', docstring: 'Whether n is prime.', parameters: ['n'],
  test_cases: [[2, true], [3, true], [4, false], [1, false], [0, false], [17, true], [21, false], [29, true], [25, false]],
});
const divisorLoop = /^def is_prime\(n\):\n {4}for v0 in range\(2, n\):\n {8}if not n % v0:\n {12}return False\n {4}return /;

describe('loop search', () => {
  it('writes a divisor loop no one-line expression can, returning a known value when it never exits', async () => {
    const { result, ran } = await searchLoops(isPrime, 1000, 600);
    expect(result.solved).toBe(true);
    expect(result.program).toMatch(divisorLoop);
    expect(result.program).toMatch(/return 1 < n\n$/);
    expect(ran.length).toBe(result.executed);
  });

  it("searches the fallback of a loop that exits rightly on the tests it leaves, counting that search's programs", async () => {
    const asked: unknown[] = [];
    const { result, ran } = await searchLoops(isPrime, 1000, 200, async (subset, budget) => {
      asked.push(subset.test_cases.map((c) => c[0]));
      // A narrow enumeration (the parameter, 1 and <) stands in for the policy's search.
      const allowed = new Set(tokenIds('P0 1 <'));
      return enumerateWithEquivalence({ problem: subset, executor, budget, maxSteps: 12, allowed: (t) => allowed.has(t) });
    });
    // The loop exits (returning False) on 4, 21 and 25: the fallback must handle the others.
    expect(asked[0]).toEqual([2, 3, 1, 0, 17, 29]);
    expect(result.program).toMatch(divisorLoop);
    expect(result.program).toMatch(/return 1 < n\n$/);
    expect(result.executed).toBeGreaterThan(ran.length);
  });

  it('collects the elements a condition holds at', async () => {
    const evens = problem({
      function_name: 'evens', docstring: 'The even numbers of a list, in order.', parameters: ['xs'],
      test_cases: [[[1, 2, 3, 4], [2, 4]], [[7, 9], []], [[10, -2, 5], [10, -2]]],
    });
    const { result } = await searchLoops(evens, 300);
    expect(result.program).toBe('def evens(xs):\n    v0 = []\n    for v1 in xs:\n        if not v1 % 2:\n            v0.append(v1)\n    return v0\n');
  });

  it('predicts the loops of the loop variable alone before any probe, and does not count a program already run', async () => {
    const toList = problem({
      function_name: 'to_list', docstring: 'The items of a tuple, as a list.', parameters: ['t'],
      test_cases: [[{ $tuple: [3, -1] }, [3, -1]], [{ $tuple: [] }, []], [{ $tuple: [0, 5, 5] }, [0, 5, 5]]],
    });
    const copy = 'def to_list(t):\n    v0 = []\n    for v1 in t:\n        v0.append(v1)\n    return v0\n';
    expect(await searchLoops(toList, 50)).toMatchObject({ result: { solved: true, executed: 1, program: copy } });
    const again = await loopSearch({ problem: toList, executor, budget: 50, values: [], alreadyRun: () => true });
    expect(again).toMatchObject({ solved: true, executed: 0, program: copy });
  });

  it('counts, one program per probe or loop, never more than the budget, never one program twice', async () => {
    const impossible = problem({ function_name: 'f', docstring: '', parameters: ['s'], test_cases: [['ab', 1], ['ab', 2]] });
    const { result, ran } = await searchLoops(impossible, 150);
    expect(result).toMatchObject({ solved: false, executed: 150, program: null });
    expect(ran).toHaveLength(150);
    expect(new Set(ran).size).toBe(150);
  });

  it('keeps each value of the loop variable with the values its own probe returns, one per behaviour', async () => {
    // A parameter named `str` shadows the builtin: the probes that would call `str(` are not
    // grammatical and are skipped, and the values after them must still get their own tokens.
    const p = problem({ function_name: 'f', docstring: '', parameters: ['str', 'k'], test_cases: [[['abc', 2], 0.5], [['', 0], 1.5], [['hello', 3], 2.5]] });
    const kept: { probe: number[]; rows: readonly (readonly PyValue[])[] }[] = [];
    const oneLine = await enumerateWithEquivalence({ problem: p, executor, budget: 100, maxSteps: 16, stopAtSolution: false });
    await loopSearch({ problem: p, executor, budget: 300, values: oneLine.values, onValue: (v, iterable) => kept.push({ probe: probeProgram(iterable, v.tokens), rows: v.rows }) });
    expect(kept.length).toBeGreaterThan(40);
    const signatures = kept.map((k) => `${programSource(k.probe, p).split('\n')[2]} ${JSON.stringify(k.rows, (_, x) => (typeof x === 'bigint' ? String(x) : x))}`);
    expect(new Set(signatures).size).toBe(kept.length);
    for (const { probe, rows } of kept) {
      const result = await executor.run(sampleFromProblem(p, programSource(probe, p)), 'pooled');
      expect(result.tests.map((t) => decodeTagged(t.actual))).toEqual(rows.map((r) => ({ type: 'list', items: r })));
    }
  });

  it("loops over an int parameter's ranges and a sequence's items and indices, never over a float", () => {
    const named = problem({ function_name: 'f', docstring: '', parameters: ['n', 's'], test_cases: [[[1, 'a'], 0]] });
    const header = (tokens: number[]) => programSource([...tokenIds('for L0 in'), ...tokens, ...tokenIds(': NEWLINE INDENT return L0 NEWLINE END')], named).split('\n')[1]!.trim();
    const loops = (parameters: string[], input: unknown) => loopsOver(problem({ function_name: 'f', docstring: '', parameters, test_cases: [[input, 0]] })).map((l) => header(l.tokens));
    expect(loops(['n', 's'], [3, 'ab'])).toEqual(['for v0 in range(n):', 'for v0 in range(1, n + 1):', 'for v0 in range(1, n):', 'for v0 in range(2, n):', 'for v0 in s:', 'for v0 in range(len(s)):']);
    expect(loops(['x'], 2.5)).toEqual([]);
    // Without `parameters`, the starter code's `def` line says there is one: the list is its argument.
    const fromStarter = problem({ function_name: 'f', docstring: '', starter_code: 'def f(xs):\n    pass\n', test_cases: [[[3, 1, 2], 0]] });
    expect(loopsOver(fromStarter).map((l) => l.elements)).toEqual([[[3, 1, 2].map(py.int)], [[0, 1, 2].map(py.int)]]);
    // range(1, 1) and range(2, 1) are empty on every test: no loop over them.
    expect(loops(['n'], 1)).toEqual(['for v0 in range(n):', 'for v0 in range(1, n + 1):']);
  });

  it('runs nothing for a problem without [input, expected] tests', async () => {
    const asserts = problem({ function_name: 'f', docstring: '', parameters: ['n'], test_cases: [], assert_tests: ['assert f(1) == 1'] });
    const { judge, ran } = recording();
    expect(await loopSearch({ problem: asserts, executor: judge, budget: 50, values: [] })).toMatchObject({ solved: false, executed: 0 });
    expect(ran).toEqual([]);
  });
});
