import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '#lab/random/rng.ts';
import { selectBackend } from './backend.ts';
import { disposeSparse, sparseFirstLayerAvailable, sparseStates, sparseTimes, sparseWeightGradient, transposed } from './sparse-states.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

/** `count` states of `size` values, each value set (uniform in [-1, 1]) with probability `density`. */
function sparseBatch(rng: Rng, count: number, size: number, density: number): Float32Array {
  return Float32Array.from({ length: count * size }, () => (rng.next() < density ? rng.uniform(-1, 1) : 0));
}

const worstGap = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((worst, x, k) => Math.max(worst, Math.abs(x - b[k]!)), 0);

describe('sparse states', () => {
  it("hold each row's set values from column `from` on, with columns counted from there", () => {
    const states = new Float32Array([0, 5, 0, 0.5, 0, 0, 7, 0, 0, -2]);
    const s = sparseStates(states, 2, 5, 1)!;
    expect([s.count, s.from, s.width]).toEqual([2, 1, 4]);
    expect(Array.from(s.starts.dataSync())).toEqual([0, 2, 4]);
    expect(Array.from(s.columns.dataSync())).toEqual([0, 2, 0, 3]);
    expect(Array.from(s.values.dataSync())).toEqual([5, 0.5, 7, -2]);
    disposeSparse(s);
  });

  it('stay dense when more than 60% of the values are set', () => {
    expect(sparseStates(new Float32Array([1, 2, 0, 3, 4, 5]), 2, 3, 0)).toBeUndefined();
    const kept = sparseStates(new Float32Array([1, 0, 0, 3, 4, 0]), 2, 3, 0)!;
    expect(kept.values.size).toBe(3);
    disposeSparse(kept);
  });

  it('are offered on the wasm backend for a first layer a multiple of 16 wide, and nowhere else', async () => {
    expect([sparseFirstLayerAvailable(256), sparseFirstLayerAvailable(20)]).toEqual([true, false]);
    await tf.setBackend('cpu');
    expect(sparseFirstLayerAvailable(256)).toBe(false);
    await tf.setBackend('wasm');
  });

  it('multiply the transposed weight as W @ x + b does, from column `from` on', () => {
    const rng = new Rng(2);
    const [count, size, from, outputs] = [7, 40, 12, 32];
    const states = sparseBatch(rng, count, size, 0.2);
    const weight = tf.tensor2d(Float32Array.from({ length: outputs * size }, () => rng.uniform(-1, 1)), [outputs, size]);
    const bias = tf.tensor2d(Float32Array.from({ length: outputs }, () => rng.uniform(-1, 1)), [outputs, 1]);
    const s = sparseStates(states, count, size, from)!;
    const weightT = transposed(weight);
    const ours = sparseTimes(s, weightT, bias).dataSync();
    const theirs = tf.tidy(() => {
      const rest = tf.slice(tf.tensor2d(states, [count, size]), [0, from], [count, size - from]);
      return tf.add(tf.matMul(rest, tf.slice(weight, [0, from], [outputs, size - from]), false, true), tf.reshape(bias, [1, outputs])).dataSync();
    });
    expect(ours.length).toBe(count * outputs);
    expect(worstGap(ours, theirs)).toBeLessThan(1e-5);
    tf.dispose([weight, bias, weightT]);
    disposeSparse(s);
  });

  it("give the first layer's weight gradient rows^T @ states, each part in the columns it holds", () => {
    const rng = new Rng(3);
    const [count, size, from, outputs, distinct] = [9, 30, 5, 16, 3];
    const states = sparseBatch(rng, count, size, 0.3);
    const prefixes = sparseBatch(rng, distinct, from, 0.5);
    const dzRows = tf.tensor2d(Float32Array.from({ length: count * outputs }, () => rng.uniform(-1, 1)), [count, outputs]);
    const prefixRows = tf.tensor2d(Float32Array.from({ length: distinct * outputs }, () => rng.uniform(-1, 1)), [distinct, outputs]);
    const rest = sparseStates(states, count, size, from)!;
    const shared = sparseStates(prefixes, distinct, from, 0)!;
    const gradient = sparseWeightGradient([{ states: rest, rows: dzRows }, { states: shared, rows: prefixRows }], size);
    expect(gradient.shape).toEqual([outputs, size]);
    const theirs = tf.tidy(() =>
      tf.concat(
        [tf.matMul(prefixRows, tf.tensor2d(prefixes, [distinct, from]), true, false), tf.matMul(dzRows, tf.slice(tf.tensor2d(states, [count, size]), [0, from], [count, size - from]), true, false)],
        1,
      ).dataSync(),
    );
    expect(worstGap(gradient.dataSync(), theirs)).toBeLessThan(1e-5);
    tf.dispose([dzRows, prefixRows, gradient]);
    disposeSparse(rest);
    disposeSparse(shared);
  });

  it('multiply without a bias when given none', () => {
    const weightT = tf.tensor2d(Float32Array.from({ length: 3 * 16 }, (_, k) => k), [3, 16]);
    const s = sparseStates(new Float32Array([0, 2, 0]), 1, 3, 0)!;
    expect(Array.from(sparseTimes(s, weightT).dataSync())).toEqual(Array.from({ length: 16 }, (_, k) => 2 * (16 + k)));
    weightT.dispose();
    disposeSparse(s);
  });

  it('transpose a matrix whose sides are not multiples of the tile, value for value', () => {
    const m = tf.tensor2d(Float32Array.from({ length: 37 * 21 }, (_, k) => k), [37, 21]);
    const t = transposed(m);
    expect(t.shape).toEqual([21, 37]);
    expect(Array.from(t.dataSync())).toEqual(Array.from(tf.tidy(() => tf.transpose(m).dataSync())));
    tf.dispose([m, t]);
  });
});
