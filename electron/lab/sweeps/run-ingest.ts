import { randomBytes } from 'node:crypto';
import { ApiError } from '#shared/api/api-error.ts';
import type { AttemptStart, RunBatch } from '#shared/api/sweeps-api.ts';
import { parseConfigObject } from '#shared/config/parse-config-yaml.ts';
import type { ExperimentStatus } from '#shared/experiments/experiment.ts';
import { nowIso, type LabDatabase } from '#lab/store/database.ts';
import { getExperiment, setExperimentStatus } from '#lab/store/experiments.ts';
import { listProblems } from '#lab/store/problem-sets.ts';
import { truncateRunAfter } from '#lab/store/run-writer.ts';
import { Checkpointer } from '#lab/training/checkpointer.ts';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint-transfer.ts';
import { hashToken, verifyWorkerToken } from './worker-tokens.ts';

const FINISHED: readonly ExperimentStatus[] = ['done', 'failed', 'stopped'];

function checkpointerOf(db: LabDatabase, dbPath: string, runId: number, config: Record<string, unknown>): Checkpointer {
  const keep = parseConfigObject(config).config?.training.keep_checkpoints ?? 3;
  return new Checkpointer(db, runId, dbPath, keep);
}

function requireWorker(db: LabDatabase, token: string): number {
  const id = verifyWorkerToken(db, token);
  if (id === undefined) throw new ApiError('unauthorized', 'the worker token is unknown or revoked');
  return id;
}

export function helloWorker(db: LabDatabase, token: string): { lab: string } {
  requireWorker(db, token);
  return { lab: 'rl-code-lab' };
}

/**
 * A worker picked up a run. The attempt number goes up and every earlier attempt is superseded (its
 * writes are refused from now on); what was stored after the lab's newest checkpoint goes, since
 * the new attempt resumes from that checkpoint and writes those episodes again.
 */
export function startAttempt(db: LabDatabase, dbPath: string, input: { token: string; run_id: number; host: string }): AttemptStart {
  const workerTokenId = requireWorker(db, input.token);
  const experiment = getExperiment(db, input.run_id);
  const run = db.prepare('SELECT r.attempt, s.stopped FROM sweep_runs r JOIN sweeps s ON s.id = r.sweep_id WHERE r.experiment_id = ?').get(input.run_id) as
    | { attempt: number; stopped: number }
    | undefined;
  if (!experiment || !run) throw new ApiError('not_found', `no sweep run ${input.run_id}`);
  if (FINISHED.includes(experiment.status)) return { state: 'finished', status: experiment.status };
  if (experiment.problem_set_id === null) throw new ApiError('not_found', `the problem set "${experiment.problem_set_name}" of run ${input.run_id} was deleted`);

  const latest = checkpointerOf(db, dbPath, input.run_id, experiment.config).latest();
  const attemptToken = `la_${randomBytes(24).toString('base64url')}`;
  const attempt = run.attempt + 1;
  db.transaction(() => {
    db.prepare("UPDATE run_attempts SET ended_at = ?, outcome = 'superseded' WHERE experiment_id = ? AND ended_at IS NULL").run(nowIso(), input.run_id);
    db.prepare(
      'INSERT INTO run_attempts (experiment_id, attempt, token_hash, worker_token_id, worker_host, resumed_from, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(input.run_id, attempt, hashToken(attemptToken), workerTokenId, input.host, latest?.episode ?? null, nowIso());
    db.prepare('UPDATE sweep_runs SET attempt = ?, worker_host = ? WHERE experiment_id = ?').run(attempt, input.host, input.run_id);
    truncateRunAfter(db, input.run_id, latest?.episode ?? 0);
    setExperimentStatus(db, input.run_id, 'running', { error: null });
  })();
  return {
    state: 'run',
    attempt,
    attempt_token: attemptToken,
    config: experiment.config,
    problem_set_name: experiment.problem_set_name,
    problems: listProblems(db, experiment.problem_set_id),
    checkpoint: latest ? encodeCheckpoint(latest.dir, latest.episode) : null,
  };
}

export interface AppendInput {
  token: string;
  run_id: number;
  attempt: number;
  seq: number;
  emitted_at: number;
  batch: RunBatch;
}

export type AppendResult = { stored: false } | { stored: true; status?: ExperimentStatus };

/**
 * Stores one numbered write of an attempt, exactly once. The attempt token names one run and one
 * attempt: it cannot write another run (unauthorized), and once a newer attempt started or the run
 * ended, its writes are refused (conflict). Writes arrive in order; a gap is refused, so a lost
 * batch can never go unnoticed.
 */
export function appendBatch(db: LabDatabase, dbPath: string, input: AppendInput): AppendResult {
  const owner = db
    .prepare('SELECT a.experiment_id, a.attempt, t.revoked_at FROM run_attempts a JOIN worker_tokens t ON t.id = a.worker_token_id WHERE a.token_hash = ?')
    .get(hashToken(input.token)) as { experiment_id: number; attempt: number; revoked_at: string | null } | undefined;
  if (!owner || owner.revoked_at !== null) throw new ApiError('unauthorized', 'the attempt token is unknown, or its worker token was revoked');
  if (owner.experiment_id !== input.run_id || owner.attempt !== input.attempt) {
    throw new ApiError('unauthorized', `this attempt token belongs to run ${owner.experiment_id} attempt ${owner.attempt}, not run ${input.run_id} attempt ${input.attempt}`);
  }
  const last = db.prepare('SELECT max(seq) AS seq FROM run_batches WHERE experiment_id = ? AND attempt = ?').get(input.run_id, input.attempt) as { seq: number | null };
  if (input.seq <= (last.seq ?? 0)) return { stored: false };
  const current = db.prepare('SELECT r.attempt, e.status, e.config FROM sweep_runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.experiment_id = ?').get(input.run_id) as {
    attempt: number;
    status: ExperimentStatus;
    config: string;
  };
  if (current.attempt !== input.attempt) throw new ApiError('conflict', `attempt ${input.attempt} of run ${input.run_id} was superseded by attempt ${current.attempt}`);
  if (FINISHED.includes(current.status)) throw new ApiError('conflict', `run ${input.run_id} is ${current.status}`);
  if (input.seq !== (last.seq ?? 0) + 1) throw new ApiError('conflict', `run ${input.run_id} attempt ${input.attempt}: expected seq ${(last.seq ?? 0) + 1}, got ${input.seq}`);

  const batch = input.batch;
  // Checkpoint files are written (atomically) before the batch row that says they arrived.
  if (batch.kind === 'checkpoint') {
    checkpointerOf(db, dbPath, input.run_id, JSON.parse(current.config) as Record<string, unknown>).save(batch.checkpoint.episode, decodeCheckpoint(batch.checkpoint));
  }
  const insertBatch = db.prepare('INSERT INTO run_batches (experiment_id, attempt, seq, kind, points, emitted_at, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertMetric = db.prepare('INSERT OR REPLACE INTO metrics (experiment_id, name, step, episode, wall_time, value) VALUES (?, ?, ?, ?, ?, ?)');
  let status: ExperimentStatus | undefined;
  db.transaction(() => {
    insertBatch.run(input.run_id, input.attempt, input.seq, batch.kind, batch.kind === 'metrics' ? batch.points.length : 0, input.emitted_at, Date.now());
    if (batch.kind === 'metrics') {
      for (const p of batch.points) insertMetric.run(input.run_id, p.name, p.step, p.episode, p.wall_time, p.value);
      const last = batch.points.at(-1);
      if (last) {
        db.prepare('UPDATE experiments SET episodes_done = max(episodes_done, ?), env_steps = max(env_steps, ?), updated_at = ? WHERE id = ?').run(
          last.episode,
          last.step,
          nowIso(),
          input.run_id,
        );
      }
    } else if (batch.kind === 'finish') {
      status = batch.status;
      setExperimentStatus(db, input.run_id, batch.status, { error: batch.error });
      db.prepare('UPDATE run_attempts SET ended_at = ?, outcome = ? WHERE experiment_id = ? AND attempt = ?').run(nowIso(), batch.status, input.run_id, input.attempt);
    }
  })();
  return status ? { stored: true, status } : { stored: true };
}

