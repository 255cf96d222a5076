import { experimentSchema, type Experiment, type ExperimentStatus } from '#shared/experiments/experiment.ts';
import { nowIso, type LabDatabase } from './database.ts';
import { processAlive } from './process-alive.ts';

export interface NewExperiment {
  name: string;
  agent: string;
  problemSetId: number | null;
  problemSetName: string;
  config: Record<string, unknown>;
  seed: number | null;
  episodesTotal: number;
  tags?: string[];
  notes?: string;
  parentId?: number | null;
}

interface ExperimentRow extends Omit<Experiment, 'config' | 'tags'> {
  config: string;
  tags: string;
}

/** Rows are parsed again at this boundary: config and tags are JSON columns. */
function toExperiment(row: ExperimentRow): Experiment {
  return experimentSchema.parse({ ...row, config: JSON.parse(row.config), tags: JSON.parse(row.tags) });
}

export function createExperiment(db: LabDatabase, e: NewExperiment): number {
  const now = nowIso();
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO experiments (name, agent, problem_set_id, problem_set_name, config, status, seed, tags, notes,
         parent_id, episodes_total, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'created', ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      e.name,
      e.agent,
      e.problemSetId,
      e.problemSetName,
      JSON.stringify(e.config),
      e.seed,
      JSON.stringify(e.tags ?? []),
      e.notes ?? '',
      e.parentId ?? null,
      e.episodesTotal,
      now,
      now,
    );
  return Number(lastInsertRowid);
}

export function getExperiment(db: LabDatabase, id: number): Experiment | undefined {
  const row = db.prepare('SELECT * FROM experiments WHERE id = ?').get(id) as ExperimentRow | undefined;
  return row && toExperiment(row);
}

export function listExperiments(db: LabDatabase): Experiment[] {
  return (db.prepare('SELECT * FROM experiments ORDER BY id DESC').all() as ExperimentRow[]).map(toExperiment);
}

/** Fields a status change may carry along; times are set by the status itself. */
export interface StatusChange {
  backend?: string;
  error?: string | null;
  trainerPid?: number | null;
}

export function setExperimentStatus(db: LabDatabase, id: number, status: ExperimentStatus, change: StatusChange = {}): void {
  const now = nowIso();
  const finished = status === 'done' || status === 'stopped' || status === 'failed' || status === 'interrupted';
  db.prepare(
    `UPDATE experiments SET status = ?, updated_at = ?,
       started_at = CASE WHEN ? = 'running' THEN coalesce(started_at, ?) ELSE started_at END,
       finished_at = CASE WHEN ? THEN ? ELSE NULL END,
       backend = coalesce(?, backend),
       error = CASE WHEN ? THEN ? ELSE error END,
       trainer_pid = CASE WHEN ? THEN ? ELSE trainer_pid END
     WHERE id = ?`,
  ).run(
    status,
    now,
    status,
    now,
    finished ? 1 : 0,
    now,
    change.backend ?? null,
    'error' in change ? 1 : 0,
    change.error ?? null,
    'trainerPid' in change || finished ? 1 : 0,
    finished ? null : (change.trainerPid ?? null),
    id,
  );
}

export interface ProgressUpdate {
  episodesDone: number;
  envSteps: number;
  samplesExecuted: number;
  bestSuccessRate: number | null;
}

export function recordProgress(db: LabDatabase, id: number, p: ProgressUpdate): void {
  db.prepare(
    `UPDATE experiments SET episodes_done = ?, env_steps = ?, samples_executed = ?,
       best_success_rate = max(coalesce(best_success_rate, ?), coalesce(?, best_success_rate)), updated_at = ?
     WHERE id = ?`,
  ).run(p.episodesDone, p.envSteps, p.samplesExecuted, p.bestSuccessRate, p.bestSuccessRate, nowIso(), id);
}

export function updateExperimentInfo(
  db: LabDatabase,
  id: number,
  info: { name?: string; tags?: string[]; notes?: string },
): void {
  const current = getExperiment(db, id);
  if (!current) throw new Error(`no experiment ${id}`);
  db.prepare('UPDATE experiments SET name = ?, tags = ?, notes = ?, updated_at = ? WHERE id = ?').run(
    info.name ?? current.name,
    JSON.stringify(info.tags ?? current.tags),
    info.notes ?? current.notes,
    nowIso(),
    id,
  );
}

export function deleteExperiment(db: LabDatabase, id: number): boolean {
  return db.prepare('DELETE FROM experiments WHERE id = ?').run(id).changes === 1;
}

/**
 * Marks runs whose trainer died without a word (kill -9, a crash, power loss) as interrupted, so the
 * UI offers to resume them from their last checkpoint. Called whenever the lab opens its store.
 */
export function markInterruptedRuns(db: LabDatabase, isAlive: (pid: number) => boolean = processAlive): number[] {
  // A sweep's runs train on workers, which the lab tracks through their attempts, not through a pid.
  const rows = db
    .prepare("SELECT id, trainer_pid FROM experiments WHERE status IN ('running', 'paused') AND id NOT IN (SELECT experiment_id FROM sweep_runs)")
    .all() as {
    id: number;
    trainer_pid: number | null;
  }[];
  const dead = rows.filter((r) => r.trainer_pid === null || !isAlive(r.trainer_pid)).map((r) => r.id);
  for (const id of dead) setExperimentStatus(db, id, 'interrupted', { error: 'the trainer stopped without finishing (killed or crashed); resume from the last checkpoint' });
  return dead;
}
