import { describe, expect, it } from 'vitest';
import { bucketize, emaSmooth, groupLines, groupStat } from './series-math.ts';

describe('EMA smoothing', () => {
  it('leaves values alone at weight 0 and removes the start-up bias otherwise', () => {
    expect(emaSmooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
    const smoothed = emaSmooth([10, 10, 10], 0.9);
    expect(smoothed.map((v) => Number(v.toFixed(10)))).toEqual([10, 10, 10]);
    const steps = emaSmooth([0, 10], 0.5);
    // ema1 = 0, ema2 = 5; debiased by 1 - 0.5 and 1 - 0.25
    expect(steps).toEqual([0, 5 / 0.75]);
  });
});

describe('min/max buckets', () => {
  const points = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((x) => ({ x, y: x % 3 === 0 ? -x : x }));

  it('keeps every point: counts add up and extremes survive', () => {
    const buckets = bucketize(points, points.map((p) => p.y), 0, 9, 3);
    expect(buckets.map((b) => b.count)).toEqual([3, 3, 4]);
    expect(buckets.map((b) => [b.min, b.max])).toEqual([[-0, 2], [-3, 5], [-9, 8]]);
    expect(buckets.map((b) => b.last)).toEqual([2, 5, -9]);
    expect(buckets[0]!.x).toBe(1);
  });

  it('refines on a zoomed range and drops points outside it', () => {
    const buckets = bucketize(points, points.map((p) => p.y), 2, 5, 4);
    expect(buckets.map((b) => b.count)).toEqual([1, 1, 1, 1]);
    expect(buckets.map((b) => b.mean)).toEqual([2, -3, 4, 5]);
  });

  it('gives one bucket per point when there are fewer points than columns', () => {
    expect(bucketize(points, [], 0, 9, 1000).length).toBe(10);
  });
});

describe('seed groups', () => {
  it('computes std, standard error and the 95% CI with the t distribution', () => {
    const values = [1, 2, 3];
    expect(groupStat(values, 'std')).toEqual({ mean: 2, spread: 1, n: 3 });
    expect(groupStat(values, 'stderr').spread).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(groupStat(values, 'ci95').spread).toBeCloseTo((4.303 * 1) / Math.sqrt(3), 12);
    expect(groupStat([5], 'ci95')).toEqual({ mean: 5, spread: 0, n: 1 });
  });

  it('averages members column by column, skipping columns a member lacks', () => {
    const b = (x: number, smooth: number) => ({ x, min: smooth, max: smooth, mean: smooth, last: smooth, smooth, count: 1 });
    const lines = groupLines([[b(0, 1), b(10, 3)], [b(0, 3)]], (x) => Math.floor(x / 10), 'std');
    expect(lines).toEqual([{ x: 0, mean: 2, lo: 2 - Math.SQRT2, hi: 2 + Math.SQRT2, n: 2 }]);
  });
});
