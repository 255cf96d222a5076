import type { SweepRun, SweepSummary } from '#shared/api/sweeps-api.ts';
import { nowIso, type LabDatabase } from '#lab/store/database.ts';

interface SweepRow {
  id: number;
  name: string;
  method: 'grid' | 'random';
  spec: string;
  stopped: number;
  created_at: string;
}

export function insertSweep(db: LabDatabase, sweep: { name: string; method: 'grid' | 'random'; spec: unknown }): number {
  const { lastInsertRowid } = db
    .prepare('INSERT INTO sweeps (name, method, spec, created_at) VALUES (?, ?, ?, ?)')
    .run(sweep.name, sweep.method, JSON.stringify(sweep.spec), nowIso());
  return Number(lastInsertRowid);
}

export function insertSweepRun(db: LabDatabase, run: { experimentId: number; sweepId: number; jobId: string; params: unknown }): void {
  db.prepare('INSERT INTO sweep_runs (experiment_id, sweep_id, job_id, params) VALUES (?, ?, ?, ?)').run(run.experimentId, run.sweepId, run.jobId, JSON.stringify(run.params));
}

function summary(db: LabDatabase, row: SweepRow): SweepSummary {
  const counts = db
    .prepare('SELECT e.status, count(*) AS n FROM sweep_runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.sweep_id = ? GROUP BY e.status')
    .all(row.id) as { status: string; n: number }[];
  return {
    id: row.id,
    name: row.name,
    method: row.method,
    stopped: row.stopped === 1,
    created_at: row.created_at,
    counts: Object.fromEntries(counts.map((c) => [c.status, c.n])),
    runs_total: counts.reduce((a, c) => a + c.n, 0),
  };
}

export function getSweepSummary(db: LabDatabase, id: number): SweepSummary | undefined {
  const row = db.prepare('SELECT * FROM sweeps WHERE id = ?').get(id) as SweepRow | undefined;
  return row && summary(db, row);
}

export function listSweepSummaries(db: LabDatabase): SweepSummary[] {
  return (db.prepare('SELECT * FROM sweeps ORDER BY id DESC').all() as SweepRow[]).map((row) => summary(db, row));
}

export function sweepParameterNames(db: LabDatabase, id: number): string[] {
  const row = db.prepare('SELECT spec FROM sweeps WHERE id = ?').get(id) as { spec: string } | undefined;
  return row ? Object.keys((JSON.parse(row.spec) as { parameters?: Record<string, unknown> }).parameters ?? {}) : [];
}

/** A sweep's runs with their attempts and the last value of each metric (for the sweep page). */
export function sweepRuns(db: LabDatabase, sweepId: number): SweepRun[] {
  const rows = db
    .prepare(
      `SELECT e.id AS experiment_id, e.name, e.status, e.seed, e.episodes_done, e.episodes_total, e.error,
              r.params, r.attempt AS attempts, r.worker_host
       FROM sweep_runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.sweep_id = ? ORDER BY e.id`,
    )
    .all(sweepId) as (Omit<SweepRun, 'params' | 'final'> & { params: string })[];
  // SQLite takes the bare `value` from the row holding max(step): each metric's last point.
  const finals = db
    .prepare(
      `SELECT m.experiment_id, m.name, m.value, max(m.step) AS step FROM metrics m
       WHERE m.experiment_id IN (SELECT experiment_id FROM sweep_runs WHERE sweep_id = ?) GROUP BY m.experiment_id, m.name`,
    )
    .all(sweepId) as { experiment_id: number; name: string; value: number }[];
  const byRun = new Map<number, Record<string, number>>();
  for (const f of finals) {
    const final = byRun.get(f.experiment_id) ?? {};
    final[f.name] = f.value;
    byRun.set(f.experiment_id, final);
  }
  return rows.map((r) => ({ ...r, params: JSON.parse(r.params) as SweepRun['params'], final: byRun.get(r.experiment_id) ?? {} }));
}

export interface PendingRun {
  experiment_id: number;
  sweep_id: number;
  job_id: string;
  config: string;
}

/** Runs the queue must hold: not finished, in a sweep that was not stopped. */
export function pendingRuns(db: LabDatabase): PendingRun[] {
  return db
    .prepare(
      `SELECT r.experiment_id, r.sweep_id, r.job_id, e.config FROM sweep_runs r
       JOIN experiments e ON e.id = r.experiment_id JOIN sweeps s ON s.id = r.sweep_id
       WHERE e.status IN ('created', 'running', 'paused', 'interrupted') AND s.stopped = 0 ORDER BY r.experiment_id`,
    )
    .all() as PendingRun[];
}

export function isSweepRun(db: LabDatabase, experimentId: number): boolean {
  return db.prepare('SELECT 1 FROM sweep_runs WHERE experiment_id = ?').get(experimentId) !== undefined;
}
