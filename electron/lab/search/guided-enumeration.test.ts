import { afterAll, describe, expect, it } from 'vitest';
import { createExecutor } from '#lab/executor/executor.ts';
import { problemSchema, type Problem } from '#shared/problems/problem.ts';
import { tokenId, tokenIds, TOKENS } from '#shared/env/token-vocabulary.ts';
import { enumerateSortAndAdd, tokenGuide } from './guided-enumeration.ts';
import { enumerateWithEquivalence, type ExecutedCandidate } from './observational-enumerator.ts';

const executor = createExecutor({ cacheSize: 0, warn: () => undefined });
afterAll(() => executor.close());

const problem = (p: Record<string, unknown>): Problem => problemSchema.parse(p);
const sumOfThree = problem({
  function_name: 'sum_of_three',
  docstring: 'Return the sum of three numbers.',
  parameters: ['a', 'b', 'c'],
  test_cases: [[[1, 2, 3], 6], [[0, 0, 0], 0], [[-1, 5, 2], 6], [[10, -4, 1], 7]],
});
const mulAdd = problem({
  function_name: 'mul_add',
  docstring: 'Return a times b plus c.',
  parameters: ['a', 'b', 'c'],
  test_cases: [[[1, 2, 3], 5], [[0, 0, 0], 0], [[-1, 5, 2], -3], [[10, -4, 1], -39]],
});
const program = (text: string) => tokenIds(text);
const names = (tokens: readonly number[]) => tokens.map((t) => TOKENS[t]!.name);

describe('a token guide read from a policy\'s programs', () => {
  it('puts the tokens of the best-scoring programs that read a parameter first', () => {
    const guide = tokenGuide([
      { tokens: program('return P0 + P1 NEWLINE END'), score: 0.5 },
      { tokens: program('return P0 * 2 NEWLINE END'), score: 0 },
      // A constant program that passes half the tests by chance votes as if it passed none.
      { tokens: program('return 10 NEWLINE END'), score: 0.5 },
    ]);
    // + and P1: 1 + 9 x 0.5; P0: that and 1 more; * 2 10: 1 each, in vocabulary order.
    expect(names(guide.priority.slice(0, 6))).toEqual(['P0', '+', 'P1', '*', '2', '10']);
    expect(guide.used).toBe(6);
    expect(guide.cost[tokenId('P0')]).toBeLessThan(guide.cost[tokenId('+')]!);
    expect(guide.cost[tokenId('+')]).toBeLessThan(guide.cost[tokenId('*')]!);
    expect(guide.cost[tokenId('*')]).toBeLessThan(guide.cost[tokenId('-')]!);
    // Only atoms and operators are guided: layout and keywords are not candidates.
    expect(guide.priority).not.toContain(tokenId('return'));
    expect(guide.priority).not.toContain(tokenId('('));
  });
});

describe('the enumerator\'s guidance options', () => {
  it('never builds a candidate with a token the filter leaves out', async () => {
    const executed: ExecutedCandidate[] = [];
    const allowed = new Set(tokenIds('P0 P1 P2 +'));
    await enumerateWithEquivalence({ problem: sumOfThree, executor, budget: 50, maxSteps: 16, allowed: (t) => allowed.has(t), onExecuted: (c) => executed.push(c) });
    const inner = executed.flatMap((c) => c.tokens.slice(1, -2));
    expect(inner.length).toBeGreaterThan(0);
    expect(new Set(names(inner.filter((t) => t !== tokenId('(') && t !== tokenId(')'))))).toEqual(new Set(['P0', 'P1', 'P2', '+']));
  });

  it('does not count a program an earlier search already ran, yet keeps its value', async () => {
    const options = { problem: sumOfThree, executor, budget: 40, maxSteps: 16, stopAtSolution: false };
    const first: ExecutedCandidate[] = [];
    const before = await enumerateWithEquivalence({ ...options, onExecuted: (c) => first.push(c) });
    const ran = new Set(first.map((c) => c.tokens.join(' ')));
    const again = await enumerateWithEquivalence({ ...options, budget: 60, alreadyRun: (p) => ran.has(p.join(' ')) });
    // The first 40 were run before; the next 60 were new and counted.
    expect([before.executed, again.executed]).toEqual([40, 60]);
    expect(again.values.length).toBeGreaterThan(before.values.length);
  });

  it('executes a size\'s candidates cheapest first when given an order', async () => {
    const executed: ExecutedCandidate[] = [];
    const cost = (tokens: readonly number[]) => (tokens.includes(tokenId('P2')) ? 0 : 1);
    await enumerateWithEquivalence({ problem: sumOfThree, executor, budget: 3, maxSteps: 16, order: cost, onExecuted: (c) => executed.push(c) });
    expect(executed.map((c) => names(c.tokens.slice(1, -2)).join(' '))).toEqual(['P2', 'P0', 'P1']);
  });
});

describe('sort-and-add enumeration', () => {
  it('finds a * b + c early when the programs used * and + most, where plain enumeration does not within 1,000', async () => {
    const guide = tokenGuide([
      { tokens: program('return P0 * P1 NEWLINE END'), score: 0.25 },
      { tokens: program('return P2 + P0 NEWLINE END'), score: 0.25 },
      { tokens: program('return P2 * 2 NEWLINE END'), score: 0 },
    ]);
    const guided = await enumerateSortAndAdd({ problem: mulAdd, executor, budget: 100, maxSteps: 16, guide });
    expect([guided.solved, guided.program]).toEqual([true, 'def mul_add(a, b, c):\n    return c + a * b\n']);
    expect(guided.executed).toBeLessThan(50);
    const plain = await enumerateWithEquivalence({ problem: mulAdd, executor, budget: 1000, maxSteps: 16 });
    expect(plain.solved).toBe(false);
  });

  it('counts every program once across its rounds and stays within the budget', async () => {
    const guide = tokenGuide([{ tokens: program('return P0 // P1 NEWLINE END'), score: 0.25 }]);
    const executed: ExecutedCandidate[] = [];
    const result = await enumerateSortAndAdd({ problem: sumOfThree, executor, budget: 90, maxSteps: 16, guide, onExecuted: (c) => executed.push(c) });
    const distinct = new Set(executed.map((c) => c.tokens.join(' ')));
    // Later rounds meet earlier rounds' programs again; only the new ones count.
    expect(executed.length).toBeGreaterThan(distinct.size);
    expect(result.executed).toBe(distinct.size);
    expect(result.executed).toBeLessThanOrEqual(90);
  });
});
