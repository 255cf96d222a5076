import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend.ts';
import { disposeInput, distinctPrefixes, networkInput } from './network-input.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

/** `count` states of width 4 whose 2-value prefix is prefix number `pick(b)`; the rest differs per state. */
function states(count: number, pick: (b: number) => number): Float32Array {
  const out = new Float32Array(count * 4);
  for (let b = 0; b < count; b++) out.set([pick(b), pick(b) * 10, b, -b], b * 4);
  return out;
}

describe('the first layer input', () => {
  it('numbers each distinct prefix once, in order of first appearance', () => {
    const { which, firsts } = distinctPrefixes(states(6, (b) => [7, 3, 7, 7, 5, 3][b]!), 6, 4, 2)!;
    expect(Array.from(which)).toEqual([0, 1, 0, 0, 2, 1]);
    expect(firsts).toEqual([0, 1, 4]);
  });

  it('tells prefixes apart by every value, not by the first alone', () => {
    const data = new Float32Array([1, 2, 0, 0, 1, 3, 0, 0, 1, 2, 9, 9]);
    expect(Array.from(distinctPrefixes(data, 3, 4, 2)!.which)).toEqual([0, 1, 0]);
  });

  it('gives up as soon as there are more distinct prefixes than asked for', () => {
    expect(distinctPrefixes(states(6, (b) => [7, 3, 7, 7, 5, 3][b]!), 6, 4, 2, 2)).toBeUndefined();
    expect(distinctPrefixes(states(6, (b) => [7, 3, 7, 7, 5, 3][b]!), 6, 4, 2, 3)?.firsts).toEqual([0, 1, 4]);
  });

  it('splits a large batch of few prefixes into the distinct prefixes, a one-hot selection and the rest', () => {
    const input = networkInput(states(32, (b) => b % 4), 32, 4, 2);
    expect(input.columns).toBeUndefined();
    const split = input.split!;
    expect(split.prefixes.shape).toEqual([2, 4]);
    expect(Array.from(split.prefixes.dataSync())).toEqual([0, 1, 2, 3, 0, 10, 20, 30]);
    expect(split.rest.shape).toEqual([2, 32]);
    expect(split.select.shape).toEqual([4, 32]);
    // Column 5's state has prefix 1.
    expect(Array.from(tf.tidy(() => tf.slice(split.select, [0, 5], [4, 1]).dataSync()))).toEqual([0, 1, 0, 0]);
    disposeInput(input);
  });

  it('keeps small batches and batches of mostly distinct prefixes dense', () => {
    expect(networkInput(states(16, () => 1), 16, 4, 2).split).toBeUndefined();
    expect(networkInput(states(32, (b) => b % 9), 32, 4, 2).split).toBeUndefined();
    expect(networkInput(states(32, () => 1), 32, 4, 0).split).toBeUndefined();
  });
});
