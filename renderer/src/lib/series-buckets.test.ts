import { describe, expect, it } from 'vitest';
import { seriesBuckets } from './series-buckets.ts';

describe('seriesBuckets', () => {
  it('asks for one bucket every 2 px for up to 20 runs', () => {
    expect(seriesBuckets(1100, 10)).toBe(550);
  });

  it('asks for one bucket every 4 px past 20 runs', () => {
    expect(seriesBuckets(1100, 100)).toBe(275);
  });

  it('keeps the count when a scrollbar takes 15 px off the chart', () => {
    expect(seriesBuckets(1100 - 15, 100)).toBe(seriesBuckets(1100, 100));
  });

  it('keeps every bucket a narrow chart can show and at least 10', () => {
    expect(seriesBuckets(90, 2)).toBe(45);
    expect(seriesBuckets(8, 2)).toBe(10);
  });

  it('stops at 5,000 buckets', () => {
    expect(seriesBuckets(40_000, 2)).toBe(5000);
  });
});
