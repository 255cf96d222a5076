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
});
