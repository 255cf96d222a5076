import { describe, expect, it } from 'vitest';
import { bestGreedyRate } from './best-greedy.ts';

describe('bestGreedyRate', () => {
  it('takes the chart when the stored row has no value yet', () => {
    expect(bestGreedyRate(null, null, [{ y: 0.25 }, { y: 0.5 }, { y: 0.375 }])).toBe(0.5);
  });

  it('takes the highest of the stored row, the live progress and the chart', () => {
    expect(bestGreedyRate(0.625, 0.75, [{ y: 0.5 }])).toBe(0.75);
    expect(bestGreedyRate(0.875, 0.75, [{ y: 0.5 }])).toBe(0.875);
  });

  it('is null only when nothing knows a value', () => {
    expect(bestGreedyRate(null, undefined, [])).toBeNull();
  });

  it('counts a greedy rate of 0 as a value', () => {
    expect(bestGreedyRate(null, 0, undefined)).toBe(0);
  });
});
