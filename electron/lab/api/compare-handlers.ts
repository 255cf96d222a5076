import type { compareMethods } from '#shared/api/compare-api.ts';
import { metricsLongCsv } from '#shared/compare/export-format.ts';
import { bucketize, emaSmooth } from '#shared/compare/series-math.ts';
import { lowerIsBetter, summarizeAtStep } from '#shared/compare/step-summary.ts';
import { allMetrics, metricSeries } from '#lab/store/compare-series.ts';
import { solvedCells } from '#lab/store/episodes.ts';
import { metricNames, readMetrics } from '#lab/store/metrics.ts';
import { requireExperiment } from './api-context.ts';
import type { HandlerMap } from './handler-map.ts';

export const compareHandlers: HandlerMap<keyof typeof compareMethods> = {
  'compare.series': ({ experiment_ids, name, x, smoothing, buckets, x_min, x_max }, ctx) => {
    const runs = experiment_ids.map((id) => {
      requireExperiment(ctx, id);
      return { id, points: metricSeries(ctx.db, id, name, x) };
    });
    const xs = runs.flatMap((r) => (r.points.length ? [r.points[0]!.x, r.points.at(-1)!.x] : []));
    const lo = x_min ?? (xs.length ? Math.min(...xs) : 0);
    const hi = x_max ?? (xs.length ? Math.max(...xs) : 1);
    return {
      name,
      x,
      x_min: lo,
      x_max: hi,
      buckets,
      runs: runs.map(({ id, points }) => ({
        experiment_id: id,
        total_points: points.length,
        // Smoothed over the whole run first, so a zoomed view shows the same smoothed line.
        buckets: bucketize(points, emaSmooth(points.map((p) => p.y), smoothing), lo, hi, buckets),
      })),
    };
  },
  'compare.summary': ({ experiment_ids, names, at_step }, ctx) => {
    for (const id of experiment_ids) requireExperiment(ctx, id);
    const wanted = names ?? [...new Set(experiment_ids.flatMap((id) => metricNames(ctx.db, id)))].sort();
    let maxStep = 0;
    const rows = experiment_ids.flatMap((id) =>
      wanted.map((name) => {
        const points = readMetrics(ctx.db, id, [name]);
        maxStep = Math.max(maxStep, points.at(-1)?.step ?? 0);
        const lower = lowerIsBetter(name);
        return { experiment_id: id, name, lower_is_better: lower, ...summarizeAtStep(points, at_step ?? null, lower) };
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
