import { it } from 'vitest';
import { GrammarMasker } from '#lab/env/grammar-mask.ts';
import { applyToken, initialState, MODE } from '#lab/env/grammar-state.ts';
import { TOKEN_COUNT, tokenId } from '#shared/env/token-vocabulary.ts';
import { explorationWeights } from './policies.ts';

const sols: [string, number][] = [
  ['return P0 + P1 NEWLINE END', 2], ['return not P0 % 2 NEWLINE END', 1], ['return P0 % 2 == 0 NEWLINE END', 1], ['return max( P0 , P1 , P2 ) NEWLINE END', 3],
  ['return P0 - P1 NEWLINE END', 2], ['return P0 * P0 NEWLINE END', 1], ['return abs( P0 ) NEWLINE END', 1], ['return sum( P0 ) NEWLINE END', 1], ['return P0 > 0 NEWLINE END', 1],
];
it('sim', () => {
  const shares = JSON.parse(process.env.SHARES ?? '[[0.5,0,0]]') as number[][];
  for (const [leaf, param, close] of shares) {
    const out: string[] = [];
    for (const [text, pc] of sols) {
      const masker = new GrammarMasker({ paramCount: pc, maxSteps: 16, shadowed: ['a', 'b', 'c'].slice(0, pc) });
      const s = initialState();
      const mask = new Uint8Array(TOKEN_COUNT);
      let p = 1;
      for (const name of text.split(' ')) {
        const n = masker.write(s, mask);
        const a = tokenId(name);
        if (!mask[a]) throw new Error(`${text}: ${name} masked`);
        if (n > 1) {
          const w = explorationWeights(mask, { leaf, param, close });
          let tot = 0;
          for (let k = 0; k < TOKEN_COUNT; k++) if (mask[k]) tot += w ? w[k]! : 1;
          p *= (w ? w[a]! : 1) / tot;
        }
        applyToken(s, a);
      }
      out.push(`${text.split(' ').slice(1, -2).join(' ')}: 1/${Math.round(1 / p)}`);
    }
    // mean length by sampling
    let total = 0;
    let seed = 1;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648);
    for (let e = 0; e < 2000; e++) {
      const masker = new GrammarMasker({ paramCount: 2, maxSteps: 16, shadowed: ['a', 'b'] });
      const s = initialState();
      const mask = new Uint8Array(TOKEN_COUNT);
      let len = 0;
      while (s.mode !== MODE.done) {
        masker.write(s, mask);
        const w = explorationWeights(mask, { leaf, param, close });
        let tot = 0;
        for (let k = 0; k < TOKEN_COUNT; k++) if (mask[k]) tot += w ? w[k]! : 1;
        let r = rnd() * tot;
        let pick = -1;
        for (let k = 0; k < TOKEN_COUNT; k++) if (mask[k]) { pick = k; r -= w ? w[k]! : 1; if (r < 0) break; }
        applyToken(s, pick);
        len++;
      }
      total += len;
    }
    console.log(`shares ${leaf} ${param} ${close}: mean length ${(total / 2000).toFixed(1)}\n  ${out.join('\n  ')}`);
  }
});
