import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LEAF_TOKENS, TOKEN_COUNT, tokenId, tokenIds } from '#shared/env/token-vocabulary.ts';
import { GrammarMasker } from './grammar-mask.ts';
import { applyToken, closingCost, initialState, MODE } from './grammar-state.ts';
import { programSource, sourceNames } from './program-source.ts';
import { Rng } from '#lab/random/rng.ts';
import { bundledProblems, MIXED_PROBLEMS } from './test-problems.ts';

const problems = [...bundledProblems('seed-train'), ...MIXED_PROBLEMS];

/** Half the time a leaf (parameter, local or constant) when one is allowed, so short programs occur too. */
function rollout(rng: Rng, masker: GrammarMasker, maxSteps: number, leafBias: boolean) {
  const s = initialState();
  const tokens: number[] = [];
  const fast = new Uint8Array(TOKEN_COUNT);
  const exact = new Uint8Array(TOKEN_COUNT);
  const problems: string[] = [];
  while (s.mode !== MODE.done) {
    const count = masker.write(s, fast);
    masker.exact(s, exact);
    if (count === 0) problems.push(`empty mask after ${tokens.join(' ')}`);
    if (fast.join() !== exact.join()) problems.push(`fast mask differs from the exact one after ${tokens.join(' ')}`);
    if (closingCost(s) > maxSteps - s.length) problems.push(`cannot finish after ${tokens.join(' ')}`);
    let a = -1;
    if (leafBias && rng.next() < 0.5) {
      const leaves = fast.map((v, i) => v & LEAF_TOKENS[i]!);
      a = rng.pick(leaves);
    }
    if (a < 0) a = rng.pick(fast);
    if (a < 0) break;
    applyToken(s, a);
    tokens.push(a);
  }
  return { tokens, problems };
}

/** compile() of every source in one `python3 -I -W error` process (warnings such as `1[0]` count as errors). */
function compileErrors(sources: string[]): string[] {
  const script = 'import sys, json\nout = []\nfor i, src in enumerate(json.load(sys.stdin)):\n    try:\n        compile(src, "<p%d>" % i, "exec")\n    except Exception as e:\n        out.append("%s\\n%s" % (e, src))\nprint(json.dumps(out))\n';
  const run = spawnSync('python3', ['-I', '-W', 'error', '-c', script], { input: JSON.stringify(sources), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[];
}

describe('the grammar mask', () => {
  it('keeps every random rollout a valid, finishable prefix and every finished program compiles', { timeout: 120_000 }, () => {
    const sources: string[] = [];
    const faults: string[] = [];
    let episodes = 0;
    for (const maxSteps of [50, 20, 9, 4]) {
      const rng = new Rng(1234 + maxSteps);
      for (const problem of problems) {
        const names = sourceNames(problem);
        const masker = new GrammarMasker({ paramCount: names.parameters.length, maxSteps, shadowed: names.parameters });
        for (let e = 0; e < 150; e++) {
          const { tokens, problems: p } = rollout(rng, masker, maxSteps, e % 2 === 0);
          faults.push(...p);
          expect(tokens.length).toBeLessThanOrEqual(maxSteps);
          expect(tokens[tokens.length - 1]).toBe(tokenId('END'));
          sources.push(programSource(tokens, problem, names));
          episodes++;
        }
      }
    }
    expect(faults).toEqual([]);
    expect(episodes).toBe(4 * problems.length * 150);
    expect(compileErrors(sources)).toEqual([]);
  });

  it('masks what Python would reject or warn about', () => {
    const masker = new GrammarMasker({ paramCount: 2, maxSteps: 50 });
    const maskAfter = (text: string) => {
      const s = initialState();
      for (const a of tokenIds(text)) applyToken(s, a);
      const mask = new Uint8Array(TOKEN_COUNT);
      masker.write(s, mask);
      return (name: string) => mask[tokenId(name)];
    };
    expect(maskAfter('return P0 +')('not')).toBe(0); // `a + not b` is a SyntaxError
    expect(maskAfter('return P0 and')('not')).toBe(1);
    expect(maskAfter('return ( 1 )')('[')).toBe(0); // `(1)[0]`: SyntaxWarning
    expect(maskAfter('return ( P0 )')('[')).toBe(1);
    expect(maskAfter('return P0')('P1')).toBe(0);
    expect(maskAfter('return P0 NEWLINE')('return')).toBe(0); // dead code after return
    expect(maskAfter('return')('L0')).toBe(0); // never-assigned locals are not read
    expect(maskAfter('return')('P2')).toBe(0); // only the problem's parameters
    expect(maskAfter('L0')('+=')).toBe(0); // augmented assignment needs a bound local
    expect(maskAfter('L0 = 0 NEWLINE L0')('+=')).toBe(1);
    expect(maskAfter('L0 = 0 NEWLINE')('L2')).toBe(0); // locals are allocated in order
    expect(maskAfter('if P0 : NEWLINE INDENT return 1 NEWLINE DEDENT')('else')).toBe(1);
    expect(maskAfter('return 1 NEWLINE')('break')).toBe(0);
    expect(maskAfter('return [')(']')).toBe(1);
    expect(maskAfter('return P0 [')(']')).toBe(0); // `a[]`
    expect(maskAfter('return P0 [ :')(']')).toBe(1);
  });

  it('forces a way out when the steps run short', () => {
    const masker = new GrammarMasker({ paramCount: 1, maxSteps: 6 });
    const s = initialState();
    for (const a of tokenIds('return abs(')) applyToken(s, a);
    const mask = new Uint8Array(TOKEN_COUNT);
    masker.write(s, mask);
    // `return abs( x ) NEWLINE END` is exactly 6 tokens: only leaves fit in the parentheses
    expect(mask[tokenId('P0')]).toBe(1);
    expect(mask[tokenId('-')]).toBe(0);
    expect(mask[tokenId('len(')]).toBe(0);
  });
});
