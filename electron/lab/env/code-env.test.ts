import { afterAll, describe, expect, it } from 'vitest';
import { LEAF_TOKENS, tokenIds } from '#shared/env/token-vocabulary.ts';
import { createExecutor } from '#lab/executor/executor.ts';
import { REWARD_PARTS, sumParts } from '#lab/rewards/reward-function.ts';
import { CodeEnv, type StepResult } from './code-env.ts';
import { ProgramMemory } from './program-memory.ts';
import { Rng } from '#lab/random/rng.ts';
import { bundledProblems, MIXED_PROBLEMS } from './test-problems.ts';

const executor = createExecutor({ cacheSize: 0, warn: () => undefined });
afterAll(() => executor.close());

const train = bundledProblems('seed-train');
const evalSet = bundledProblems('seed-eval');

/** Writes a program by its tokens, skipping those the environment wrote itself (forced ones). */
async function play(env: CodeEnv, text: string): Promise<StepResult> {
  const want = tokenIds(text);
  let last: StepResult | undefined;
  while (env.programTokens.length < want.length && !last?.done) {
    const next = want[env.programTokens.length]!;
    last = await env.step(next);
  }
  expect(env.programTokens).toEqual(want);
  return last!;
}

const SOLUTIONS: Record<string, string> = {
  add: 'return P0 + P1 NEWLINE END',
  is_even: 'return P0 % 2 == 0 NEWLINE END',
  max_of_three: 'return max( P0 , P1 , P2 ) NEWLINE END',
  subtract: 'return P0 - P1 NEWLINE END',
  square: 'return P0 * P0 NEWLINE END',
  absolute_value: 'return abs( P0 ) NEWLINE END',
  sum_list: 'return sum( P0 ) NEWLINE END',
  is_positive: 'return P0 > 0 NEWLINE END',
};

describe('the code environment', () => {
  it('reaches a passing program for each of the seed training problems', async () => {
    const env = new CodeEnv({ problems: train, executor });
    for (const [i, problem] of train.entries()) {
      env.reset(i);
      const last = await play(env, SOLUTIONS[problem.function_name]!);
      expect([problem.function_name, last.done, last.info.testsPassed, last.info.executed]).toEqual([problem.function_name, true, problem.test_cases.length, true]);
      expect(last.info.rewardParts.correctness).toBe(10 + 20);
    }
    expect(env.memory.executed).toBe(8);
  });

  it('writes loops and branches the executor accepts (is_prime from the eval set)', async () => {
    const env = new CodeEnv({ problems: evalSet, executor });
    env.reset(evalSet.findIndex((p) => p.function_name === 'is_prime'));
    const last = await play(
      env,
      'if P0 < 2 : NEWLINE INDENT return False NEWLINE DEDENT for L0 in range( 2 , P0 ) : NEWLINE INDENT ' +
        'if P0 % L0 == 0 : NEWLINE INDENT return False NEWLINE DEDENT DEDENT return True NEWLINE END',
    );
    expect(last.info.code).toBe(
      'def is_prime(n):\n    if n < 2:\n        return False\n    for v0 in range(2, n):\n        if n % v0 == 0:\n            return False\n    return True\n',
    );
    expect(last.info.testsPassed).toBe(last.info.testsTotal);
  });

  it('renders the program so far and the executed source with bounded while loops', async () => {
    const env = new CodeEnv({ problems: train, executor: null });
    env.reset(train.findIndex((p) => p.function_name === 'sum_list'));
    await play(env, 'L0 = 0 NEWLINE while L0 < len( P0 ) : NEWLINE INDENT L0 += 1 NEWLINE DEDENT return P0 [ : : -1');
    expect(env.render()).toBe('def sum_list(numbers):\n    v0 = 0\n    while v0 < len(numbers):\n        v0 += 1\n    return numbers[::-1\n');
    const last = await play(env, 'L0 = 0 NEWLINE while L0 < len( P0 ) : NEWLINE INDENT L0 += 1 NEWLINE DEDENT return P0 [ : : -1 ] NEWLINE END');
    expect(last.info.code).toBe(
      'def sum_list(numbers):\n    v0 = 0\n    guard0 = 0\n    while v0 < len(numbers):\n        guard0 += 1\n' +
        "        if guard0 > 10000: raise RuntimeError('while loop ran past 10000 iterations')\n        v0 += 1\n    return numbers[::-1]\n",
    );
    expect(last.info.executed).toBe(false);
  });

  it('never executes the same program twice for a problem', async () => {
    const env = new CodeEnv({ problems: train, executor });
    for (let k = 0; k < 2; k++) {
      env.reset(0);
      const last = await play(env, 'return P0 * 2 NEWLINE END');
      expect([last.info.executed, last.info.testsPassed]).toEqual([k === 0, 1]);
    }
    expect(env.memory.executed).toBe(1);
    expect(env.memory.hits).toBe(1);
    // Showing a program's verdicts (the diagnostics' queue) is not an episode's hit: the counters, which checkpoints keep, stay as they were.
    expect(env.memory.peek(0, tokenIds('return P0 * 2 NEWLINE END'))?.passed).toBe(1);
    expect([env.memory.executed, env.memory.hits]).toEqual([1, 1]);
  });

  it('enumerates without repeats when asked: max_steps 4 leaves exactly 11 programs for one parameter', async () => {
    const memory = new ProgramMemory(true);
    const problem = train.find((p) => p.function_name === 'square')!;
    const env = new CodeEnv({ problems: [problem], executor, maxSteps: 4, avoidRepeats: true, memory, seed: 3 });
    const rng = new Rng(5);
    for (let e = 0; e < 11; e++) {
      let { mask } = env.reset(0);
      for (let done = false; !done; ) {
        const r = await env.step(rng.pick(mask));
        ({ mask, done } = r);
        if (done) expect(r.info.executed).toBe(true);
      }
    }
    expect(memory.executed).toBe(11);
    expect(memory.root(0).exhausted).toBe(true);
  });

  it('avoids repeats per episode: the grammar mask stays plain, greedy episodes mark nothing', async () => {
    const problem = train.find((p) => p.function_name === 'square')!;
    const env = new CodeEnv({ problems: [problem], executor, maxSteps: 4, memory: new ProgramMemory(true), seed: 3 });
    // A plain episode runs `return P0 NEWLINE END` but leaves it open to the next avoiding one.
    env.reset(0, { avoidRepeats: false });
    await play(env, 'return P0 NEWLINE END');
    let first = env.reset(0, { avoidRepeats: true });
    const p0 = tokenIds('P0')[0]!;
    expect(first.mask).toEqual(first.grammarMask);
    await env.step(tokenIds('return')[0]!);
    const known = await env.step(p0);
    expect([known.info.executed, known.done]).toEqual([false, true]);
    // Now tried: an avoiding episode can no longer write it; the grammar mask still allows it.
    first = env.reset(0, { avoidRepeats: true });
    const after = await env.step(tokenIds('return')[0]!);
    expect([after.mask[p0], after.grammarMask[p0]]).toEqual([0, 1]);
    expect(after.state).toEqual((await (async () => {
      env.reset(0, { avoidRepeats: false });
      return env.step(tokenIds('return')[0]!);
    })()).state);
  });

  it('rebuilds its memory from a snapshot exactly: same masks in the episodes that follow', async () => {
    const problems = train.slice(0, 3);
    const live = new CodeEnv({ problems, executor, maxSteps: 5, avoidRepeats: true, memory: new ProgramMemory(true), seed: 1 });
    const rng = new Rng(8);
    const episode = async (env: CodeEnv, p: number, avoid: boolean, pick: Rng) => {
      let { mask } = env.reset(p, { avoidRepeats: avoid });
      const masks: number[] = [];
      for (let done = false; !done; ) {
        const r = await env.step(pick.pick(mask));
        ({ mask, done } = r);
        masks.push(...r.mask);
      }
      return masks;
    };
    for (let e = 0; e < 60; e++) await episode(live, e % 3, e % 7 !== 0, rng);
    const snapshot = JSON.parse(JSON.stringify(live.memory.snapshot())) as ReturnType<ProgramMemory['snapshot']>;
    const copy = new CodeEnv({ problems, executor, maxSteps: 5, avoidRepeats: true, memory: new ProgramMemory(true), seed: 1 });
    copy.restoreMemory(snapshot);
    expect([copy.memory.executed, copy.memory.hits]).toEqual([live.memory.executed, live.memory.hits]);
    for (let e = 0; e < 30; e++) {
      const [a, b] = [new Rng(100 + e), new Rng(100 + e)];
      expect(await episode(copy, e % 3, true, b)).toEqual(await episode(live, e % 3, true, a));
    }
    expect(copy.memory.executed).toBe(live.memory.executed);
  });

  it('runs random episodes: no compile errors, parts sum to the reward, max_steps respected', { timeout: 120_000 }, async () => {
    const problems = [...train, ...MIXED_PROBLEMS];
    const env = new CodeEnv({ problems, executor, seed: 11, timeoutMs: 200 });
    const rng = new Rng(99);
    const verdicts = new Set<string>();
    for (let e = 0; e < 120; e++) {
      let { mask } = env.reset();
      for (let done = false; !done; ) {
        const leaves = mask.map((v, i) => v & LEAF_TOKENS[i]!);
        const r = await env.step(rng.next() < 0.5 && leaves.includes(1) ? rng.pick(leaves) : rng.pick(mask));
        expect(Object.keys(r.info.rewardParts)).toEqual([...REWARD_PARTS]);
        expect(r.reward).toBe(sumParts(r.info.rewardParts));
        ({ mask, done } = r);
        if (done) {
          expect(env.programTokens.length).toBeLessThanOrEqual(50);
          for (const v of r.info.verdicts ?? []) verdicts.add(v);
        } else expect(mask.includes(1)).toBe(true);
      }
    }
    expect(verdicts.has('compile_error')).toBe(false);
    expect(verdicts.size).toBeGreaterThan(0);
  });

  it('repeats an episode exactly with the same seeds', async () => {
    const run = async () => {
      const env = new CodeEnv({ problems: train, executor: null, seed: 42 });
      const rng = new Rng(7);
      const trace: number[] = [];
      for (let e = 0; e < 20; e++) {
        let { mask, state, info } = env.reset();
        trace.push(info.problemIndex, state.reduce((a, b) => a + b, 0));
        for (let done = false; !done; ) {
          const r = await env.step(rng.pick(mask));
          ({ mask, done, state } = r);
          trace.push(r.reward, state.reduce((a, b) => a + b, 0));
        }
      }
      return trace;
    };
    expect(await run()).toEqual(await run());
  });

  it('refuses a masked action and a step after the end', async () => {
    const env = new CodeEnv({ problems: train, executor: null });
    env.reset(0);
    await expect(env.step(tokenIds('NEWLINE')[0]!)).rejects.toThrow('action 0 (NEWLINE) is masked here');
    await play(env, 'return 0 NEWLINE END');
    await expect(env.step(0)).rejects.toThrow('step() after the episode ended');
  });
});
