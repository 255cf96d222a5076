import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '#shared/api/api-error.ts';
import { openDatabase, type LabDatabase } from '#lab/store/database.ts';
import { getExperiment } from '#lab/store/experiments.ts';
import { saveProblemSet } from '#lab/store/problem-sets.ts';
import { createLabApi } from '#lab/api/create-lab-api.ts';
import { TrainerManager } from '#lab/training/trainer-manager.ts';
import { appendBatch, startAttempt } from './run-ingest.ts';
import type { RunJob, RunQueue } from './run-queue.ts';
import { SweepController } from './sweep-controller.ts';
import { createWorkerToken, revokeWorkerToken } from './worker-tokens.ts';

/** The queue as a map of job ids: enough for the controller's bookkeeping in these tests. */
class MemoryQueue implements RunQueue {
  readonly jobs = new Map<string, RunJob>();
  async add(jobs: readonly RunJob[]) {
    for (const job of jobs) if (!this.jobs.has(job.jobId)) this.jobs.set(job.jobId, job);
  }
  async lost(jobs: readonly RunJob[]) {
    return jobs.filter((j) => !this.jobs.has(j.jobId));
  }
  async remove(ids: readonly string[]) {
    for (const id of ids) this.jobs.delete(id);
  }
  onReconnect() {}
  async close() {}
}

const point = (episode: number) => ({ name: 'charts/episodic_return', step: episode * 3, episode, wall_time: episode, value: episode / 10 });

describe('runs written by workers', () => {
  let dir: string;
  let dbPath: string;
  let db: LabDatabase;
  let queue: MemoryQueue;
  let controller: SweepController;
  let token: string;
  let runs: number[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-ingest-'));
    dbPath = join(dir, 'lab.sqlite');
    db = openDatabase(dbPath);
    saveProblemSet(db, { name: 'tiny', problems: [{ function_name: 'add', docstring: 'Add.', parameters: ['a', 'b'], starter_code: '', test_cases: [[[1, 2], 3]] }] });
    queue = new MemoryQueue();
    controller = new SweepController(db, queue);
    ({ token } = createWorkerToken(db, 'test'));
    ({ runs } = await controller.createSweep({ name: 's', base: {}, problems: 'tiny', method: 'grid', parameters: { 'training.seed': { values: [1, 2] } } }));
  });

  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (runId: number, workerToken = token) => {
    const answer = startAttempt(db, dbPath, { token: workerToken, run_id: runId, host: 'h' });
    if (answer.state !== 'run') throw new Error('expected a run');
    return answer;
  };
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error instanceof ApiError ? error.code : String(error);
    }
    return 'accepted';
  };

  it('expands a grid into one queued experiment per point, each with its own deterministic job', async () => {
    expect(runs).toHaveLength(2);
    expect(queue.jobs.size).toBe(2);
    expect(getExperiment(db, runs[0]!)?.config).toMatchObject({ training: { seed: 1 } });
    expect(getExperiment(db, runs[0]!)?.status).toBe('created');
  });

  it('re-adds only the runs the queue lost', async () => {
    const [first] = [...queue.jobs.keys()];
    queue.jobs.delete(first!);
    expect(await controller.reconcile()).toBe(1);
    expect(queue.jobs.has(first!)).toBe(true);
    expect(await controller.reconcile()).toBe(0);
  });

  it('stores a resent batch once', () => {
    const a = start(runs[0]!);
    const batch = { token: a.attempt_token, run_id: runs[0]!, attempt: a.attempt, seq: 1, emitted_at: Date.now(), batch: { kind: 'metrics' as const, points: [point(1), point(2)] } };
    expect(appendBatch(db, dbPath, batch)).toEqual({ stored: true });
    expect(appendBatch(db, dbPath, batch)).toEqual({ stored: false });
    expect(db.prepare('SELECT count(*) AS n FROM metrics WHERE experiment_id = ?').get(runs[0]!)).toEqual({ n: 2 });
  });

  it('refuses a gap in the sequence', () => {
    const a = start(runs[0]!);
    expect(refusal(() => appendBatch(db, dbPath, { token: a.attempt_token, run_id: runs[0]!, attempt: a.attempt, seq: 2, emitted_at: 0, batch: { kind: 'metrics', points: [point(1)] } }))).toBe('conflict');
  });

  it("refuses an attempt token on another run's writes", () => {
    const a = start(runs[0]!);
    start(runs[1]!);
    expect(refusal(() => appendBatch(db, dbPath, { token: a.attempt_token, run_id: runs[1]!, attempt: 1, seq: 1, emitted_at: 0, batch: { kind: 'metrics', points: [point(1)] } }))).toBe('unauthorized');
    expect(db.prepare('SELECT count(*) AS n FROM metrics').get()).toEqual({ n: 0 });
  });

  it('refuses a superseded attempt with a conflict, and keeps the newer one writing', () => {
    const first = start(runs[0]!);
    const second = start(runs[0]!);
    expect(second.attempt).toBe(2);
    expect(refusal(() => appendBatch(db, dbPath, { token: first.attempt_token, run_id: runs[0]!, attempt: 1, seq: 1, emitted_at: 0, batch: { kind: 'metrics', points: [point(1)] } }))).toBe('conflict');
    expect(appendBatch(db, dbPath, { token: second.attempt_token, run_id: runs[0]!, attempt: 2, seq: 1, emitted_at: 0, batch: { kind: 'metrics', points: [point(1)] } })).toEqual({ stored: true });
  });

  it('refuses a wrong or revoked worker token, and the attempts it started', () => {
    expect(refusal(() => startAttempt(db, dbPath, { token: 'lw_wrong', run_id: runs[0]!, host: 'h' }))).toBe('unauthorized');
    const a = start(runs[0]!);
    revokeWorkerToken(db, 1);
    expect(refusal(() => appendBatch(db, dbPath, { token: a.attempt_token, run_id: runs[0]!, attempt: a.attempt, seq: 1, emitted_at: 0, batch: { kind: 'metrics', points: [point(1)] } }))).toBe('unauthorized');
    expect(refusal(() => start(runs[1]!))).toBe('unauthorized');
  });

  it('ends a run once: a finished run answers later pickups with its status', () => {
    const a = start(runs[0]!);
    appendBatch(db, dbPath, { token: a.attempt_token, run_id: runs[0]!, attempt: a.attempt, seq: 1, emitted_at: 0, batch: { kind: 'finish', status: 'done', error: null } });
    expect(getExperiment(db, runs[0]!)?.status).toBe('done');
    expect(startAttempt(db, dbPath, { token, run_id: runs[0]!, host: 'h' })).toEqual({ state: 'finished', status: 'done' });
  });

  it('a resumed attempt drops what was stored after the checkpoint it resumes from', () => {
    const a = start(runs[0]!);
    appendBatch(db, dbPath, { token: a.attempt_token, run_id: runs[0]!, attempt: 1, seq: 1, emitted_at: 0, batch: { kind: 'metrics', points: [point(1), point(2), point(3)] } });
    const manifest = JSON.stringify({ version: 1, meta: { counters: {} }, arrays: [{ name: 'w', type: 'Float32Array', offset: 0, length: 2 }] });
    const data = Buffer.from(new Float32Array([0.5, 1.5]).buffer).toString('base64');
    appendBatch(db, dbPath, { token: a.attempt_token, run_id: runs[0]!, attempt: 1, seq: 2, emitted_at: 0, batch: { kind: 'checkpoint', checkpoint: { episode: 2, manifest, data } } });
    const b = start(runs[0]!);
    expect(b.checkpoint?.episode).toBe(2);
    expect(b.checkpoint?.data).toBe(data);
    expect((db.prepare('SELECT episode FROM metrics WHERE experiment_id = ? ORDER BY episode').all(runs[0]!) as { episode: number }[]).map((r) => r.episode)).toEqual([1, 2]);
  });

  it("refuses to start a sweep run's trainer in the lab itself", async () => {
    const api = createLabApi({ db, dbPath, trainers: new TrainerManager(dbPath), sweeps: controller });
    const answer = await api.call('experiments.start', { id: runs[0]! });
    expect(answer).toEqual({ ok: false, error: { code: 'conflict', message: `experiment ${runs[0]} is a run of a sweep: the sweep's workers train it` } });
  });

  it('stopping a sweep takes its queued runs off the queue and ends them', async () => {
    await controller.stopSweep(1);
    expect(queue.jobs.size).toBe(0);
    expect(getExperiment(db, runs[1]!)?.status).toBe('stopped');
    expect(await controller.reconcile()).toBe(0);
  });
});
