import { afterAll, describe, expect, it } from 'vitest';
import { createExecutor } from '#lab/executor/executor.ts';
import { problemSchema, type Problem } from '#shared/problems/problem.ts';
import { TOKENS, tokenIds } from '#shared/env/token-vocabulary.ts';
import { Rng } from '#lab/random/rng.ts';
import { enumerateWithEquivalence, type ExecutedCandidate } from './observational-enumerator.ts';

const executor = createExecutor({ cacheSize: 0, warn: () => undefined });
afterAll(() => executor.close());

const problem = (p: Record<string, unknown>): Problem => problemSchema.parse(p);
const distance = problem({
  function_name: 'distance',
  docstring: 'Return the absolute difference between two numbers.',
  parameters: ['a', 'b'],
  test_cases: [[[2, 3], 1], [[0, 0], 0], [[7, -2], 9], [[-5, -1], 4]],
});
const increment = problem({ function_name: 'increment', docstring: 'n plus one', parameters: ['n'], test_cases: [[3, 4], [-4, -3], [0, 1]] });

async function run(p: Problem, budget: number) {
  const executed: ExecutedCandidate[] = [];
  const result = await enumerateWithEquivalence({ problem: p, executor, budget, maxSteps: 20, onExecuted: (c) => executed.push(c) });
  return { result, executed };
}

describe('bottom-up enumeration with observational equivalence', () => {
  it('never executes an operator twice on observationally equal operands', async () => {
    const { executed } = await run(distance, 600);
    const keptIds = new Set<number>();
    let poolId = 0;
    const applications = new Set<string>();
    for (const c of executed) {
      // Every operand is a kept value (a distinct behaviour), never a dropped duplicate.
      for (const id of c.operands) expect(keptIds.has(id)).toBe(true);
      const application = `${c.op}(${c.operands.join(',')})`;
      if (c.op !== 'atom') {
        expect(applications.has(application)).toBe(false);
        applications.add(application);
      }
      if (c.kept) keptIds.add(poolId++);
    }
    expect(executed).toHaveLength(600);
  });

  it('keeps one program per behaviour and drops erroring candidates', async () => {
    const { executed } = await run(distance, 400);
    const kept = executed.filter((c) => c.kept).map((c) => c.signature);
    expect(new Set(kept).size).toBe(kept.length);
    expect(executed.filter((c) => c.kept && c.signature === null)).toEqual([]);
    // `a - a` and `0` behave alike: only the first of them is kept.
    const zero = executed.find((c) => c.tokens.join(' ') === tokenIds('return 0 NEWLINE END').join(' '))!;
    expect(zero.kept).toBe(true);
    const aMinusA = executed.find((c) => c.tokens.join(' ') === tokenIds('return P0 - P0 NEWLINE END').join(' '));
    expect(aMinusA?.kept).toBe(false);
  });

  it('breaks the symmetry of commutative operators', async () => {
    const { executed } = await run(distance, 600);
    const texts = new Set(executed.map((c) => c.tokens.join(' ')));
    expect(texts.has(tokenIds('return P0 + P1 NEWLINE END').join(' '))).toBe(true);
    expect(texts.has(tokenIds('return P1 + P0 NEWLINE END').join(' '))).toBe(false);
    expect(texts.has(tokenIds('return P0 - P1 NEWLINE END').join(' '))).toBe(true);
    expect(texts.has(tokenIds('return P1 - P0 NEWLINE END').join(' '))).toBe(true);
  });

  it('enumerates by size and counts every executed candidate up to the solution', async () => {
    const { result, executed } = await run(increment, 1000);
    expect(result.solved).toBe(true);
    expect(result.program).toBe('def increment(n):\n    return n + 1\n');
    expect(result.executed).toBe(executed.length);
    const lengths = executed.map((c) => c.tokens.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
  });

  it('stops at the budget', async () => {
    const { result } = await run(distance, 50);
    expect(result).toMatchObject({ solved: false, executed: 50 });
  });

  it('draws compositions of kept values past the budget: larger, in both operand orders, each behaviour kept once', async () => {
    const executed: ExecutedCandidate[] = [];
    const result = await enumerateWithEquivalence({
      problem: distance, executor, budget: 300, maxSteps: 16, stopAtSolution: false,
      compositions: { count: 400, rng: new Rng(7) },
      onExecuted: (c) => executed.push(c),
    });
    expect(result.executed).toBe(700);
    const enumerated = executed.slice(0, 300);
    const composed = executed.slice(300);
    const longest = (cs: ExecutedCandidate[]) => Math.max(...cs.map((c) => c.tokens.length));
    expect(longest(composed)).toBeGreaterThan(longest(enumerated) + 2);
    expect(longest(composed)).toBeLessThanOrEqual(16);
    // Every operand is a value kept earlier; a commutative operator meets its operands in either order.
    const keptBefore = (index: number) => executed.slice(0, index).filter((c) => c.kept).length;
    composed.forEach((c, i) => c.operands.forEach((id) => expect(id).toBeLessThan(keptBefore(300 + i))));
    const sums = composed.filter((c) => c.op === '+');
    expect(sums.some((c) => c.operands[0]! > c.operands[1]!)).toBe(true);
    expect(sums.some((c) => c.operands[0]! < c.operands[1]!)).toBe(true);
    const kept = executed.filter((c) => c.kept).map((c) => c.signature);
    expect(new Set(kept).size).toBe(kept.length);
    // No composed operand is a constant built from constants (`2 + 3` composes nothing useful).
    const params = new Set(TOKENS.flatMap((t, id) => (t.name.startsWith('P') ? [id] : [])));
    const keptTokens = executed.filter((c) => c.kept).map((c) => c.tokens.slice(1, -2));
    for (const c of composed) for (const id of c.operands) expect(keptTokens[id]!.length === 1 || keptTokens[id]!.some((a) => params.has(a))).toBe(true);
    const texts = composed.map((c) => c.tokens.join(' '));
    expect(new Set(texts).size).toBe(texts.length);
  });
});
