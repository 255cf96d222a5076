import { describe, expect, it } from 'vitest';
import { medianSamples, solvedWithinCurve, summarizeSolve } from './solve-summary.ts';

const r = (agent: string, solved: boolean, samples: number, seconds = 1) => ({ agent, solved, samples_executed: samples, seconds });

describe('solve summaries', () => {
  it('takes the median of the solved problems only, averaging the middle two of an even count', () => {
    expect(medianSamples([r('a', true, 5), r('a', false, 1000), r('a', true, 9), r('a', true, 300), r('a', true, 1)])).toBe(7);
  });

  it('has no median when nothing is solved', () => {
    expect(medianSamples([r('a', false, 1000)])).toBe(null);
  });

  it('gives one row per agent in the order asked, counting solutions within 100 programs inclusive', () => {
    const results = [r('random', true, 100, 0.5), r('random', true, 101, 1.5), r('enumerate-oe', false, 30, 2), r('random', false, 1000, 3)];
    expect(summarizeSolve(['enumerate-oe', 'random', 'pqt'], results)).toEqual([
      { agent: 'enumerate-oe', solved: 0, problems: 1, solved_within_100: 0, median_samples: null, seconds: 2 },
      { agent: 'random', solved: 2, problems: 3, solved_within_100: 1, median_samples: 100.5, seconds: 5 },
      { agent: 'pqt', solved: 0, problems: 0, solved_within_100: 0, median_samples: null, seconds: 0 },
    ]);
  });

  it("counts an agent's solutions by samples-to-solution, leaving out unsolved problems and other agents", () => {
    const results = [r('random', true, 40), r('random', false, 1000), r('pretrained', true, 3), r('random', true, 7), r('random', true, 40)];
    expect(solvedWithinCurve(results, 'random')).toEqual([
      { x: 0, y: 0 },
      { x: 7, y: 1 },
      { x: 40, y: 2 },
      { x: 40, y: 3 },
    ]);
    expect(solvedWithinCurve(results, 'enumerate-oe')).toEqual([{ x: 0, y: 0 }]);
  });
});
