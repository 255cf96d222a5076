import type { compareMethods } from '#shared/api/compare-api.ts';
import { metricsLongCsv } from '#shared/compare/export-format.ts';
import { bucketColumns, type Bucket } from '#shared/compare/series-math.ts';
import { lowerIsBetter, summarizeColumns } from '#shared/compare/step-summary.ts';
import { allMetrics } from '#lab/store/compare-series.ts';
import { solvedCells } from '#lab/store/episodes.ts';
import { getExperiment } from '#lab/store/experiments.ts';
import { metricNamesOfRuns } from '#lab/store/metrics.ts';
import { requireExperiment } from './api-context.ts';
import type { HandlerMap } from './handler-map.ts';

/**
 * Buckets as drawn: 7 significant digits (below a pixel on any chart) halve what a sweep's answer
 * weighs (100 runs x 550 buckets: 8.2 MB of JSON at full precision). Rounded with arithmetic, not
 * toPrecision's string round trip (a third of the call's time on a 100-run sweep): an integer
 * divided by an exact power of ten is the double nearest that decimal, so JSON prints it as such.
 */
export function digits(v: number): number {
  if (Number.isInteger(v) || !Number.isFinite(v)) return v;
  const shift = 6 - Math.floor(Math.log10(Math.abs(v)));
  if (shift > 22 || shift < -22) return Number(v.toPrecision(7));
  return shift >= 0 ? Math.round(v * 10 ** shift) / 10 ** shift : Math.round(v / 10 ** -shift) * 10 ** -shift;
}
const displayBucket = (b: Bucket): Bucket => ({ x: digits(b.x), min: digits(b.min), max: digits(b.max), mean: digits(b.mean), last: digits(b.last), smooth: digits(b.smooth), count: b.count });

export const compareHandlers: HandlerMap<keyof typeof compareMethods> = {
  'compare.runs': ({ experiment_ids }, ctx) => {
    const experiments = experiment_ids.flatMap((id) => getExperiment(ctx.db, id) ?? []);
    const found = new Set(experiments.map((e) => e.id));
    return { experiments, metric_names: metricNamesOfRuns(ctx.db, [...found]), missing: experiment_ids.filter((id) => !found.has(id)) };
  },
  'compare.series': ({ experiment_ids, name, x, smoothing, buckets, x_min, x_max }, ctx) => {
    const runs = experiment_ids.map((id) => ({ id, ...ctx.series.columns(requireExperiment(ctx, id), name, x) }));
    const filled = runs.filter((r) => r.xs.length > 0);
    const lo = x_min ?? (filled.length ? Math.min(...filled.map((r) => r.xs[0]!)) : 0);
    const hi = x_max ?? (filled.length ? Math.max(...filled.map((r) => r.xs[r.xs.length - 1]!)) : 1);
    return {
      name,
      x,
      x_min: lo,
      x_max: hi,
      buckets,
      runs: runs.map(({ id, xs, ys }) => ({
        experiment_id: id,
        total_points: xs.length,
        // Smoothed over the whole run first, so a zoomed view shows the same smoothed line.
        buckets: bucketColumns(xs, ys, smoothing, lo, hi, buckets).map(displayBucket),
      })),
    };
  },
  'compare.summary': ({ experiment_ids, names, at_step }, ctx) => {
    const experiments = experiment_ids.map((id) => requireExperiment(ctx, id));
    const wanted = names ?? metricNamesOfRuns(ctx.db, experiment_ids);
    let maxStep = 0;
    const rows = experiments.flatMap((experiment) =>
      wanted.map((name) => {
        const lower = lowerIsBetter(name);
        const { xs, ys } = ctx.series.columns(experiment, name, 'step');
        maxStep = Math.max(maxStep, xs[xs.length - 1] ?? 0);
        return { experiment_id: experiment.id, name, lower_is_better: lower, ...summarizeColumns(xs, ys, at_step ?? null, lower) };
      }),
    );
    return { names: wanted, rows, max_step: maxStep };
  },
  'compare.solved': ({ experiment_ids }, ctx) => {
    for (const id of experiment_ids) requireExperiment(ctx, id);
    const cells = solvedCells(ctx.db, experiment_ids);
    return { problems: [...new Set(cells.map((c) => c.problem))].sort(), cells };
  },
  'compare.export': ({ experiment_ids, format }, ctx) => {
    const experiments = experiment_ids.map((id) => requireExperiment(ctx, id));
    const nameOf = new Map(experiments.map((e) => [e.id, e.name]));
    const points = allMetrics(ctx.db, experiment_ids);
    const filename = `metrics-${experiment_ids.join('-')}.${format}`;
    if (format === 'csv') {
      return { filename, mime: 'text/csv', text: metricsLongCsv(points.map((p) => ({ ...p, experiment: nameOf.get(p.experiment_id) ?? '' }))) };
    }
    const runs = experiments.map((e) => ({ experiment: e, metrics: points.filter((p) => p.experiment_id === e.id).map(({ experiment_id: _id, ...p }) => p) }));
    return { filename, mime: 'application/json', text: `${JSON.stringify({ runs }, null, 2)}\n` };
  },
};
