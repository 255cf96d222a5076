import { METRICS_PAGE_LIMIT, type runMethods, type SolvedProblem, type Intervention } from '#shared/api/runs-api.ts';
import type { MetricPoint } from '#shared/experiments/experiment.ts';
import { requireExperiment } from './api-context.ts';
import type { HandlerMap } from './handler-map.ts';

export const runDataHandlers: HandlerMap<keyof typeof runMethods> = {
  'metrics.get': ({ experiment_id, names, after_step }, ctx) => {
    requireExperiment(ctx, experiment_id);
    const allNames = (ctx.db.prepare('SELECT DISTINCT name FROM metrics WHERE experiment_id = ? ORDER BY name').all(experiment_id) as { name: string }[]).map(
      (r) => r.name,
    );
    const wanted = names ?? allNames;
    if (wanted.length === 0) return { points: [], names: allNames, more: false };
    const points = ctx.db
      .prepare(
        `SELECT name, step, episode, wall_time, value FROM metrics
         WHERE experiment_id = ? AND step > ? AND name IN (${wanted.map(() => '?').join(', ')})
         ORDER BY step, name LIMIT ?`,
      )
      .all(experiment_id, after_step ?? -1, ...wanted, METRICS_PAGE_LIMIT + 1) as MetricPoint[];
    const more = points.length > METRICS_PAGE_LIMIT;
    if (more) {
      // A page ends on a whole step, so asking again with after_step = the last step misses nothing.
      const lastStep = points[METRICS_PAGE_LIMIT]!.step;
      const whole = points.filter((p) => p.step < lastStep);
      return { points: whole.length > 0 ? whole : points.slice(0, METRICS_PAGE_LIMIT), names: allNames, more };
    }
    return { points, names: allNames, more };
  },
  'interventions.list': ({ experiment_id }, ctx) => {
    requireExperiment(ctx, experiment_id);
    return ctx.db
      .prepare('SELECT id, experiment_id, episode, step, wall_time, kind, value, created_at FROM interventions WHERE experiment_id = ? ORDER BY step, id')
      .all(experiment_id) as Intervention[];
  },
  'episodes.solved': ({ experiment_id }, ctx) => {
    requireExperiment(ctx, experiment_id);
    return ctx.db
      .prepare(
        `SELECT problem_name AS problem, code, episode, kind, total_return, tests_passed, tests_total FROM (
           SELECT *, row_number() OVER (PARTITION BY problem_name ORDER BY total_return DESC, length(code), episode) AS rank
           FROM episodes WHERE experiment_id = ? AND success = 1)
         WHERE rank = 1 ORDER BY problem_name`,
      )
      .all(experiment_id) as SolvedProblem[];
  },
};
