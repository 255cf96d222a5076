import { describe, expect, it } from 'vitest';
import { TOKEN_COUNT, tokenIds } from '#shared/env/token-vocabulary.ts';
import { applyToken, initialState } from './grammar-state.ts';
import { CODE_DIMS, problemEmbedding, STATE_SIZE, writeCodeEmbedding, writeMetadata } from './state-encoding.ts';
import { bundledProblems } from './test-problems.ts';

const train = bundledProblems('seed-train');
const byName = (name: string) => train.find((p) => p.function_name === name)!;

describe('the state encoding', () => {
  it('has the seed layout: 256 + 256 + 8', () => {
    expect(STATE_SIZE).toBe(520);
  });

  it('tells same-signature problems apart and is deterministic', () => {
    const add = problemEmbedding(byName('add'), ['a', 'b']);
    const sub = problemEmbedding(byName('subtract'), ['a', 'b']);
    expect(add).toEqual(problemEmbedding(byName('add'), ['a', 'b']));
    let dot = 0;
    for (let i = 0; i < 224; i++) dot += add[i]! * sub[i]!;
    expect(dot).toBeLessThan(0.9);
    let norm = 0;
    for (let i = 0; i < 224; i++) norm += add[i]! ** 2;
    expect(Math.abs(norm - 1)).toBeLessThan(1e-6);
    expect(add[224 + 2]).toBe(1); // two parameters
    expect(problemEmbedding(byName('is_even'), ['n'])[224 + 13 + 1]).toBe(1); // every output a bool
  });

  it('encodes the code so far and the grammar state', () => {
    const s = initialState();
    const tokens = tokenIds('return P0 +');
    const counts = new Uint16Array(TOKEN_COUNT);
    for (const t of tokens) (applyToken(s, t), counts[t]!++);
    const out = new Float32Array(CODE_DIMS + 8);
    writeCodeEmbedding(out, 0, tokens, counts, s, 2);
    writeMetadata(out, CODE_DIMS, s, { maxSteps: 50, validActions: 10, passFraction: 0, paramCount: 2 });
    expect(out[224 + s.mode]).toBe(1);
    expect(out[251]).toBe(0.5); // one of two parameters read
    expect([...out.slice(CODE_DIMS)].map((x) => Number(x.toFixed(4)))).toEqual([0.06, 0, 0, 0, 0.94, 0.06, 0.5, Number((10 / TOKEN_COUNT).toFixed(4))]);
  });
});
