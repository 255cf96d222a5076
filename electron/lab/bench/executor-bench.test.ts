import { describe, expect, it } from 'vitest';
import { runExecutorBench } from './executor-bench.ts';

describe('the executor bench', () => {
  // A smoke run on a tiny budget: the numbers are the bench's business, not the test's.
  it('measures both tiers and the process-per-sample baseline on correct samples', { timeout: 60_000 }, async () => {
    const r = await runExecutorBench({ pooledSamples: 200, isolatedSamples: 20, baselineSamples: 4 });
    expect([r.pooled.samples, r.isolated.samples, r.baseline.samples]).toEqual([200, 20, 4]);
    expect([r.pooled.failed, r.isolated.failed, r.baseline.failed]).toEqual([0, 0, 0]);
    expect(Object.keys(r.ratios)).toEqual(['pooledVsBaseline', 'isolatedVsBaseline']);
  });
});
