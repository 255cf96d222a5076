/** One run's metric at a chosen step, for the compare view's table. */
export interface StepSummary {
  /** The value at the last point at or before the step (null before the first point). */
  value: number | null;
  value_step: number | null;
  min: number | null;
  max: number | null;
  best: number | null;
  best_step: number | null;
  points: number;
}

/** Metrics where lower is better: losses and anything named like an error or a loss. */
export function lowerIsBetter(name: string): boolean {
  return /(^|\/)(losses|loss)\b|loss|error/.test(name);
}

/** Summarises points (sorted by step) up to `atStep` (all when null). */
export function summarizeAtStep(points: readonly { step: number; value: number }[], atStep: number | null, lower: boolean): StepSummary {
  const summary: StepSummary = { value: null, value_step: null, min: null, max: null, best: null, best_step: null, points: 0 };
  for (const p of points) {
    if (atStep !== null && p.step > atStep) break;
    summary.points++;
    summary.value = p.value;
    summary.value_step = p.step;
    summary.min = summary.min === null ? p.value : Math.min(summary.min, p.value);
    summary.max = summary.max === null ? p.value : Math.max(summary.max, p.value);
    if (summary.best === null || (lower ? p.value < summary.best : p.value > summary.best)) {
      summary.best = p.value;
      summary.best_step = p.step;
    }
  }
  return summary;
}

/** summarizeAtStep over columns (steps ascending), without an object per point. */
export function summarizeColumns(steps: ArrayLike<number>, values: ArrayLike<number>, atStep: number | null, lower: boolean): StepSummary {
  const summary: StepSummary = { value: null, value_step: null, min: null, max: null, best: null, best_step: null, points: 0 };
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const value = values[i]!;
    if (atStep !== null && step > atStep) break;
    summary.points++;
    summary.value = value;
    summary.value_step = step;
    if (summary.min === null || value < summary.min) summary.min = value;
    if (summary.max === null || value > summary.max) summary.max = value;
    if (summary.best === null || (lower ? value < summary.best : value > summary.best)) {
      summary.best = value;
      summary.best_step = step;
    }
  }
  return summary;
}
