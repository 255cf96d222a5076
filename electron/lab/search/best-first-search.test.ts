import { afterAll, describe, expect, it } from 'vitest';
import { createExecutor } from '#lab/executor/executor.ts';
import { PRETRAINED_POLICY_DIR } from '#lab/paths.ts';
import { loadPolicyModel } from '#lab/pretraining/policy-model.ts';
import { TOKEN_COUNT, tokenId, tokenIds } from '#shared/env/token-vocabulary.ts';
import { problemSchema, type Problem } from '#shared/problems/problem.ts';
import type { Sample } from '#shared/executor/sample.ts';
import { bestFirstSearch } from './best-first-search.ts';
import { PolicyValueScorer, type ValueScorer } from './policy-value-scorer.ts';

const executor = createExecutor({ cacheSize: 0, warn: () => undefined });
afterAll(() => executor.close());

const problem = (p: Record<string, unknown>): Problem => problemSchema.parse(p);
const distance = problem({
  function_name: 'distance', docstring: 'Return the absolute difference between two numbers.', parameters: ['a', 'b'],
  test_cases: [[[2, 3], 1], [[0, 0], 0], [[7, -2], 9], [[-5, -1], 4]],
});

/** Prices every token alike, except those in `favoured` (cheap) and `avoided` (dear). */
function flatScorer(favoured: number[] = [], avoided: number[] = []): { scorer: ValueScorer; start: Float64Array } {
  const price = (t: number) => (favoured.includes(t) ? 0.1 : avoided.includes(t) ? 20 : 2);
  const next = Float64Array.from({ length: TOKEN_COUNT }, (_, t) => price(t));
  return { scorer: { score: async (tokens) => ({ cost: tokens.reduce((n, t) => n + price(t), 0), next }) }, start: next };
}

/** The executor, recording each program it is asked to run. */
function recording() {
  const ran: string[] = [];
  return { ran, judge: { run: (sample: Sample, tier?: 'pooled') => (ran.push(sample.code), executor.run(sample, tier)) } };
}

describe('best-first bottom-up search', () => {
  it('finds a program that combines values, counting every program it runs once', async () => {
    const { ran, judge } = recording();
    const result = await bestFirstSearch({ problem: distance, executor: judge, budget: 2000, maxSteps: 16, ...flatScorer() });
    expect(result.solved).toBe(true);
    expect(result.program).toContain('abs(');
    // The batch that held the solution may have run a few programs after it; those are not counted.
    expect(ran.length - result.executed).toBeGreaterThanOrEqual(0);
    expect(ran.length - result.executed).toBeLessThan(16);
    expect(new Set(ran).size).toBe(ran.length);
  });

  it('runs first what the scorer prices lowest', async () => {
    const abs = tokenId('abs(');
    const liked = await bestFirstSearch({ problem: distance, executor, budget: 3000, maxSteps: 16, ...flatScorer([abs]) });
    const disliked = await bestFirstSearch({ problem: distance, executor, budget: 3000, maxSteps: 16, ...flatScorer([], [abs]) });
    expect(liked).toMatchObject({ solved: true, program: expect.stringContaining('abs(') });
    expect(liked.executed).toBeLessThan(disliked.solved ? disliked.executed : Infinity);
    if (disliked.solved) expect(disliked.program).not.toContain('abs(');
  });

  it('combines first the values that pass some of the tests', async () => {
    // `a - b` passes the tests where a >= b: with partial credit, `abs(a - b)` is priced low.
    const credited = await bestFirstSearch({ problem: distance, executor, budget: 3000, maxSteps: 16, ...flatScorer() });
    const blind = await bestFirstSearch({ problem: distance, executor, budget: 3000, maxSteps: 16, ...flatScorer(), partialCredit: 0 });
    expect(credited.solved).toBe(true);
    expect(credited.executed).toBeLessThan(blind.solved ? blind.executed : Infinity);
  });

  it('starts from the seeds without counting the programs their search already ran', async () => {
    const seed = tokenIds('max(P0, P1) - min(P0, P1)'.replace(/,/g, ' ,').replace(/\(/g, '( ').replace(/\)/g, ' )'));
    const seedProgram = ['return', 'max(', 'P0', ',', 'P1', ')', '-', 'min(', 'P0', ',', 'P1', ')', 'NEWLINE', 'END'].map(tokenId).join(' ');
    expect(seed.length).toBe(11);
    const result = await bestFirstSearch({
      problem: distance, executor, budget: 200, maxSteps: 16, ...flatScorer(), seeds: [seed],
      alreadyRun: (program) => program.join(' ') === seedProgram,
    });
    // It passes: found among the first values, after the 13 atoms (2 parameters, 10 constants,
    // []) that count, and not counted itself.
    expect(result).toMatchObject({ solved: true, executed: 13, program: expect.stringContaining('max(a, b) - min(a, b)') });
  });

  it('stops at the budget on a problem no program solves', async () => {
    const { ran, judge } = recording();
    const impossible = problem({ function_name: 'f', docstring: '', parameters: ['n'], test_cases: [[1, 1], [1, 2]] });
    const result = await bestFirstSearch({ problem: impossible, executor: judge, budget: 120, maxSteps: 16, ...flatScorer() });
    expect(result).toMatchObject({ solved: false, executed: 120, program: null });
    expect(ran).toHaveLength(120);
  });
});

describe('policy value scorer', () => {
  it("prices `return a + b` from the shipped policy's probabilities and refuses what the grammar forbids", async () => {
    const add = problem({ function_name: 'add', docstring: 'Return the sum of a and b.', parameters: ['a', 'b'], test_cases: [[[1, 2], 3], [[0, 5], 5], [[-3, 3], 0]] });
    const { network, meta } = loadPolicyModel(PRETRAINED_POLICY_DIR);
    const { scorer, start } = await PolicyValueScorer.create(network, add, meta.max_steps);
    const sum = await scorer.score(tokenIds('P0 + P1'));
    const a = await scorer.score(tokenIds('P0'));
    expect(sum!.cost).toBeGreaterThan(0);
    // The cost of `a + b` is that of `a`, then `+` after it, then `b` after that.
    expect(sum!.cost).toBeGreaterThan(a!.cost + a!.next[tokenId('+')]! - 1e-9);
    expect(a!.cost).toBeGreaterThanOrEqual(start[tokenId('P0')]!);
    expect(Number.isFinite(sum!.next[tokenId('NEWLINE')]!)).toBe(true);
    expect(sum!.next[tokenId('return')]).toBe(Infinity);
    expect(await scorer.score(tokenIds(') )'))).toBeNull();
  });
});
