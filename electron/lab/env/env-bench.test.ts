import { describe, expect, it } from 'vitest';
import { envBench, runEnvBench } from './env-bench.ts';

describe('the env benchmark', () => {
  it('runs a tiny budget and counts every executed program', { timeout: 60_000 }, async () => {
    const r = await runEnvBench({ maskedEpisodes: 20, executedEpisodes: 8, lanes: 2 });
    expect([r.masked.episodes, r.executed.episodes, r.executed.lanes]).toEqual([20, 8, 2]);
    expect(r.executed.executed).toBeLessThanOrEqual(8);
    expect(r.executed.executed).toBeGreaterThan(0);
    expect(envBench.name).toBe('env');
  });

  it('rolls out the same seeded episodes on every run, each within the step limit', { timeout: 60_000 }, async () => {
    const [a, b] = [await runEnvBench({ maskedEpisodes: 30, executedEpisodes: 4, lanes: 2 }), await runEnvBench({ maskedEpisodes: 30, executedEpisodes: 4, lanes: 2 })];
    expect([a.masked.steps, a.executed.steps, a.executed.executed]).toEqual([b.masked.steps, b.executed.steps, b.executed.executed]);
    // Every episode takes at least one decision and ends by END within max_steps (50).
    expect(a.masked.steps).toBeGreaterThanOrEqual(30);
    expect(a.masked.meanTokens).toBeLessThanOrEqual(50);
    expect(a.masked.stepsPerSecond).toBeCloseTo(a.masked.steps / a.masked.seconds, 6);
  });
});
