import type { MetricPoint } from '#shared/experiments/experiment.ts';
import type { LabDatabase } from './database.ts';

/** The metric names an experiment has, sorted (slash-named, so prefixes group them). */
export function metricNames(db: LabDatabase, experimentId: number): string[] {
  // Jumps from one name to the next along the primary key: a few index seeks per name, where
  // DISTINCT walks every point of the run (5,000 per metric in a sweep's run).
  return db
    .prepare(
      `WITH RECURSIVE names(name) AS (
         SELECT min(name) FROM metrics WHERE experiment_id = :id
         UNION ALL
         SELECT (SELECT min(name) FROM metrics WHERE experiment_id = :id AND name > names.name) FROM names WHERE names.name IS NOT NULL
       ) SELECT name FROM names WHERE name IS NOT NULL`,
    )
    .pluck()
    .all({ id: experimentId }) as string[];
}

/** The metric names any of several runs has, sorted. */
export function metricNamesOfRuns(db: LabDatabase, experimentIds: readonly number[]): string[] {
  const names = new Set<string>();
  for (const id of experimentIds) for (const name of metricNames(db, id)) names.add(name);
  return [...names].sort();
}

/** Points of some (or all) metrics in step order, optionally only after a step (for live updates). */
export function readMetrics(db: LabDatabase, experimentId: number, names?: readonly string[], afterStep = -1): MetricPoint[] {
  const filter = names && names.length ? `AND name IN (${names.map(() => '?').join(', ')})` : '';
  return db
    .prepare(
      `SELECT name, step, episode, wall_time, value FROM metrics
       WHERE experiment_id = ? AND step > ? ${filter} ORDER BY step, name`,
    )
    .all(experimentId, afterStep, ...(names ?? [])) as MetricPoint[];
}

/** Metrics as CSV: one row per step, one column per metric (blank where a metric has no point). */
export function metricsCsv(points: readonly MetricPoint[]): string {
  const names = [...new Set(points.map((p) => p.name))].sort();
  const rows = new Map<number, { episode: number; wall_time: number; values: Map<string, number> }>();
  for (const p of points) {
    const row = rows.get(p.step) ?? { episode: p.episode, wall_time: p.wall_time, values: new Map() };
    row.values.set(p.name, p.value);
    rows.set(p.step, row);
  }
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [['step', 'episode', 'wall_time', ...names].map(quote).join(',')];
  for (const [step, row] of [...rows].sort((a, b) => a[0] - b[0])) {
    lines.push([step, row.episode, row.wall_time, ...names.map((n) => row.values.get(n) ?? '')].join(','));
  }
  return `${lines.join('\n')}\n`;
}
