import { describe, expect, it } from 'vitest';
import { changedSpan } from './code-growth.ts';
import { lowerIsBetter, summarizeAtStep } from './step-summary.ts';

describe('the table at a step', () => {
  const points = [
    { step: 10, value: 3 },
    { step: 20, value: 7 },
    { step: 30, value: 1 },
    { step: 40, value: 9 },
  ];

  it('reads the value at or before the step, the range so far and the best with its step', () => {
    expect(summarizeAtStep(points, 35, false)).toEqual({ value: 1, value_step: 30, min: 1, max: 7, best: 7, best_step: 20, points: 3 });
    expect(summarizeAtStep(points, 35, true)).toMatchObject({ best: 1, best_step: 30 });
    expect(summarizeAtStep(points, null, false)).toMatchObject({ value: 9, best: 9, best_step: 40, points: 4 });
    expect(summarizeAtStep(points, 5, false)).toEqual({ value: null, value_step: null, min: null, max: null, best: null, best_step: null, points: 0 });
  });

  it('knows losses are better low', () => {
    expect([lowerIsBetter('losses/td_loss'), lowerIsBetter('charts/episodic_return')]).toEqual([true, false]);
  });
});

describe('the new text of a replay step', () => {
  it('spans what was inserted between the common prefix and suffix', () => {
    expect(changedSpan('def f(a):\n    return\n', 'def f(a):\n    return a\n')).toEqual([20, 22]);
    expect(changedSpan('', 'x')).toEqual([0, 1]);
    expect(changedSpan('same', 'same')).toEqual([4, 4]);
  });
});
