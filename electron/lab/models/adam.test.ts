import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend.ts';
import { Adam, type Gradient } from './adam.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

const SMALLEST_NORMAL = 1.1754943508222875e-38;

describe("Adam's kernel", () => {
  it.each([
    ['a dense', false],
    ['a row-sparse', true],
  ])('leaves no subnormal moment when %s gradient stops reaching a weight: it flushes it to zero', (_, sparse) => {
    const shape = [4, 8] as const;
    const adam = new Adam([shape], 0.01);
    let params = [tf.ones([...shape]) as tf.Tensor2D];
    const step = (value: number, rows: number[]) => {
      const values = tf.fill([rows.length, shape[1]], value) as tf.Tensor2D;
      const dense = tf.tidy(() => tf.concat([values, tf.zeros([shape[0] - rows.length, shape[1]])]) as tf.Tensor2D);
      const gradient: Gradient = sparse ? { rows: Int32Array.from(rows), values, shape } : dense;
      const next = adam.apply(params, [gradient]);
      tf.dispose([...params, values, dense]);
      params = next;
    };
    step(1e-3, [0, 1, 2, 3]);
    // Row 0 keeps its gradient; rows 1-3 get none: their m decays by 0.9 a step, past 1e-30 after ~620 steps.
    for (let k = 0; k < 1000; k++) step(1e-3, [0]);
    const [m] = adam.m;
    const [v] = adam.v;
    const subnormal = (x: number) => x !== 0 && Math.abs(x) < SMALLEST_NORMAL;
    expect(m!.filter(subnormal).length + v!.filter(subnormal).length).toBe(0);
    expect(Array.from(m!.subarray(8))).toEqual(new Array(24).fill(0));
    // What still carries information is kept: row 0's m, and every v (0.999 a step decays it slowly).
    expect(m!.subarray(0, 8).every((x) => Math.abs(x - 1e-3) < 1e-6)).toBe(true);
    expect(v!.every((x) => x > 1e-10)).toBe(true);
    expect(params[0]!.dataSync().every(Number.isFinite)).toBe(true);
    tf.dispose(params);
    adam.dispose();
  });
});
