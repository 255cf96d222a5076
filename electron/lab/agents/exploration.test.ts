import { describe, expect, it } from 'vitest';
import { TOKEN_COUNT, tokenId } from '#shared/env/token-vocabulary.ts';
import { explorationShares, explorationWeights, leafWeights } from './exploration.ts';

const maskOf = (names: string[]) => {
  const mask = new Uint8Array(TOKEN_COUNT);
  for (const n of names) mask[tokenId(n)] = 1;
  return mask;
};
const weightsOf = (w: Float32Array | undefined, names: string[]) => names.map((n) => Math.round(w![tokenId(n)]! * 1e6) / 1e6);

describe('exploration weights by token role', () => {
  it('splits the mass: leaves, parameters within them, closers within the rest', () => {
    const names = ['P0', 'P1', '0', '1', 'NEWLINE', ')', '+', '-'];
    const w = explorationWeights(maskOf(names), { leaf: 0.6, param: 0.5, close: 0.8 });
    // leaves 0.6 (params 0.3, constants 0.3), closers 0.4 * 0.8, other tokens 0.4 * 0.2; uniform within a role
    expect(weightsOf(w, names)).toEqual([0.15, 0.15, 0.15, 0.15, 0.16, 0.16, 0.04, 0.04]);
    expect(w![tokenId('*')]).toBe(0);
  });

  it('gives a missing role its mass back to the others', () => {
    const names = ['P0', '0', '1', '+', '-'];
    expect(weightsOf(explorationWeights(maskOf(names), { leaf: 0.5, param: 0.8, close: 0.9 }), names)).toEqual([0.4, 0.05, 0.05, 0.25, 0.25]);
    const closersOnly = ['NEWLINE', ')', '+'];
    expect(weightsOf(explorationWeights(maskOf(closersOnly), { leaf: 0.5, param: 0.8, close: 0.9 }), closersOnly)).toEqual([0.45, 0.45, 0.1]);
  });

  it('counts a local at the start of a statement as an assignment target, not a leaf', () => {
    const names = ['return', 'if', 'for', 'L0'];
    expect(weightsOf(explorationWeights(maskOf(names), { leaf: 0.7, param: 0.7, close: 0.8 }), names)).toEqual([0.8, 0.066667, 0.066667, 0.066667]);
  });

  it('is the leaf-only weighting when only the leaf share is set, and uniform when nothing is', () => {
    const mask = maskOf(['P0', 'P1', '0', 'NEWLINE', ')', '+', 'abs(']);
    expect(explorationWeights(mask, 0.5)).toEqual(leafWeights(mask, 0.5));
    expect(explorationWeights(mask, { leaf: 0, param: 0, close: 0 })).toBeUndefined();
  });

  it('reads the config keys', () => {
    expect(explorationShares({ explore_leaf_share: 0.7, explore_param_share: 0.6, explore_close_share: 0.8, explore_temperature: 1 })).toEqual({ leaf: 0.7, param: 0.6, close: 0.8, temperature: 1 });
    expect(explorationShares({ explore_leaf_share: 0.5 })).toEqual({ leaf: 0.5, param: 0, close: 0, temperature: 0 });
  });
});
