import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { WeightCache } from './weight-cache.ts';

describe('WeightCache', () => {
  it('makes the derived tensors once per weight tensor, keeps them out of a tidy, and disposes the old ones', () => {
    const cache = new WeightCache<tf.Tensor2D>();
    const first = tf.tensor2d([[1, 2], [3, 4]]);
    let made = 0;
    const transpose = (w: tf.Tensor2D) => () => (made++, tf.transpose(w));
    const a = tf.tidy(() => cache.get(first, transpose(first)));
    expect(a.isDisposed).toBe(false);
    expect(cache.get(first, transpose(first))).toBe(a);
    expect(made).toBe(1);
    const second = tf.tensor2d([[5, 6], [7, 8]]);
    const b = cache.get(second, transpose(second));
    expect(made).toBe(2);
    expect(a.isDisposed).toBe(true);
    expect(b.arraySync()).toEqual([[5, 7], [6, 8]]);
    cache.dispose();
    expect(b.isDisposed).toBe(true);
    tf.dispose([first, second]);
  });

  it('holds nested blocks and disposes every one of them', () => {
    const cache = new WeightCache<[tf.Tensor1D, tf.Tensor1D][]>();
    const w = tf.tensor1d([1, 2, 3, 4]);
    const blocks = cache.get(w, () => [[tf.slice(w, 0, 2), tf.slice(w, 2, 2)]]);
    cache.dispose();
    expect(blocks.flat().map((t) => t.isDisposed)).toEqual([true, true]);
    w.dispose();
  });
});
