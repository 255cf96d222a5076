import { describe, expect, it } from 'vitest';
import { Reservoir } from './reservoir.ts';

describe('a reservoir of values', () => {
  it('gives exact nearest-rank quantiles and the mean while it holds every value', () => {
    const r = new Reservoir(100);
    for (let v = 1; v <= 20; v++) r.add(v);
    expect(r.take([0, 0.5, 0.95])).toEqual({ quantiles: [1, 11, 20], mean: 10.5, n: 20 });
  });

  it('keeps at most its capacity but counts every value offered, then starts empty', () => {
    const r = new Reservoir(64);
    for (let v = 0; v < 10_000; v++) r.add(v);
    expect(r.size).toBe(64);
    expect(r.offered).toBe(10_000);
    const { quantiles, n } = r.take([0.5]);
    expect(n).toBe(10_000);
    // A uniform sample of 0..9999: its median is far from the first 64 values it started with.
    expect(quantiles[0]).toBeGreaterThan(1000);
    expect(r.size).toBe(0);
    expect(r.offered).toBe(0);
  });
});
