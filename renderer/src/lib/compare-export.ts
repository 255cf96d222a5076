import { csvTable } from '#shared/compare/export-format.ts';
import type { CompareStore } from '../state/compare.svelte.ts';

/** The chart's lines exactly as drawn (bucketed, smoothed, grouped, zoomed), one row per point. */
export function shownCsv(store: CompareStore): string {
  return csvTable(
    ['line', 'kind', 'experiment_ids', 'metric', store.xAxis, 'value', 'raw_mean', 'band_low', 'band_high'],
    store.lines.flatMap((line) => line.points.map((p) => [line.label, line.kind, line.experiment_ids.join(' '), store.metric, p.x, p.y, p.raw, p.lo, p.hi])),
  );
}

/** Everything the view shows: settings, lines, the table at the step, the diff, the solved matrix. */
export function shownJson(store: CompareStore): string {
  const shown = {
    metric: store.metric,
    x_axis: store.xAxis,
    smoothing: store.smoothing,
    log_scale: store.logScale,
    zoom: store.zoom,
    group_by: store.groupBy,
    band: store.band,
    runs: store.experiments.map((e) => ({ id: e.id, name: e.name, seed: e.seed })),
    lines: store.lines,
    table: { at_step: store.atStep, rows: store.summary.map((r) => ({ ...r, experiment: store.nameOf(r.experiment_id) })) },
    hyperparameter_diff: { baseline: store.baselineId, rows: store.diff },
    solved: { problems: store.solvedProblems, cells: store.solved },
  };
  return `${JSON.stringify(shown, null, 2)}\n`;
}
