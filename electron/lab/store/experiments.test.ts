import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { createExperiment, deleteExperiment, getExperiment, listExperiments, markInterruptedRuns, recordProgress, setExperimentStatus, updateExperimentInfo } from './experiments.ts';
import { metricsCsv, readMetrics } from './metrics.ts';
import { RunWriter, truncateRunAfter } from './run-writer.ts';

const base = { name: 'e', agent: 'dqn', problemSetId: null, problemSetName: 'seed-train', config: { agent: { gamma: 0.9 } }, seed: 3, episodesTotal: 100 };

describe('experiments in the store', () => {
  it('creates an experiment and reads it back, config and tags parsed', () => {
    const db = openDatabase(':memory:');
    const id = createExperiment(db, { ...base, tags: ['a'] });
    expect(getExperiment(db, id)).toMatchObject({ id, status: 'created', config: { agent: { gamma: 0.9 } }, tags: ['a'], seed: 3, episodes_total: 100 });
    expect(listExperiments(db).map((e) => e.id)).toEqual([id]);
  });

  it('stamps start and finish times and clears the pid when a run ends', () => {
    const db = openDatabase(':memory:');
    const id = createExperiment(db, base);
    setExperimentStatus(db, id, 'running', { backend: 'wasm', trainerPid: 1234 });
    expect(getExperiment(db, id)).toMatchObject({ status: 'running', backend: 'wasm', trainer_pid: 1234, finished_at: null });
    expect(getExperiment(db, id)!.started_at).not.toBeNull();
    setExperimentStatus(db, id, 'done');
    expect(getExperiment(db, id)).toMatchObject({ status: 'done', backend: 'wasm', trainer_pid: null });
    expect(getExperiment(db, id)!.finished_at).not.toBeNull();
  });

  it('keeps the best success rate seen', () => {
    const db = openDatabase(':memory:');
    const id = createExperiment(db, base);
    recordProgress(db, id, { episodesDone: 10, envSteps: 50, samplesExecuted: 9, bestSuccessRate: 0.5 });
    recordProgress(db, id, { episodesDone: 20, envSteps: 90, samplesExecuted: 15, bestSuccessRate: 0.25 });
    expect(getExperiment(db, id)).toMatchObject({ episodes_done: 20, env_steps: 90, samples_executed: 15, best_success_rate: 0.5 });
  });

  it('marks runs whose trainer is gone as interrupted, and leaves live ones alone', () => {
    const db = openDatabase(':memory:');
    const dead = createExperiment(db, base);
    const alive = createExperiment(db, base);
    setExperimentStatus(db, dead, 'running', { trainerPid: 111 });
    setExperimentStatus(db, alive, 'paused', { trainerPid: 222 });
    expect(markInterruptedRuns(db, (pid) => pid === 222)).toEqual([dead]);
    expect(getExperiment(db, dead)?.status).toBe('interrupted');
    expect(getExperiment(db, dead)?.error).toContain('resume from the last checkpoint');
    expect(getExperiment(db, alive)?.status).toBe('paused');
  });

  it('renames, tags, notes and deletes', () => {
    const db = openDatabase(':memory:');
    const id = createExperiment(db, base);
    updateExperimentInfo(db, id, { name: 'renamed', tags: ['x', 'y'], notes: 'why' });
    expect(getExperiment(db, id)).toMatchObject({ name: 'renamed', tags: ['x', 'y'], notes: 'why' });
    expect(deleteExperiment(db, id)).toBe(true);
    expect(getExperiment(db, id)).toBeUndefined();
  });
});

describe('RunWriter', () => {
  it('writes nothing until flushed, then everything in one go', () => {
    const db = openDatabase(':memory:');
    const id = createExperiment(db, base);
    const writer = new RunWriter(db, id);
    writer.metric('charts/episodic_return', 5, 1, 0.1, 2.5);
    writer.episode({
      episode: 1, problemName: 'add', kind: 'train', totalReturn: 2.5, length: 3, success: true, code: 'return a + b',
      testsPassed: 6, testsTotal: 6, verdicts: [],
      steps: [{ t: 0, action: 7, token: 'return', validActions: 20, topQ: [[7, 1.5]], explored: false, reward: 0, rewardParts: { progress: 0 } }],
    });
    expect(readMetrics(db, id)).toEqual([]);
    writer.flush();
    expect(readMetrics(db, id)).toEqual([{ name: 'charts/episodic_return', step: 5, episode: 1, wall_time: 0.1, value: 2.5 }]);
    expect(db.prepare('SELECT token, top_q FROM steps').all()).toEqual([{ token: 'return', top_q: '[[7,1.5]]' }]);
  });

  it('flushes by itself once the waiting rows (an episode counts its steps) reach the batch size', () => {
    const db = openDatabase(':memory:');
    const id = createExperiment(db, base);
    const writer = new RunWriter(db, id, 5);
    const step = { t: 0, action: 7, token: 'return', validActions: 20, topQ: [], explored: false, reward: 0, rewardParts: {} };
    const episode = (n: number, steps: number) => ({
      episode: n, problemName: 'add', kind: 'train' as const, totalReturn: 0, length: steps, success: false, code: 'return a',
      testsPassed: 0, testsTotal: 6, verdicts: [], steps: Array.from({ length: steps }, (_, t) => ({ ...step, t })),
    });
    const stored = () => (db.prepare('SELECT COUNT(*) AS n FROM episodes').get() as { n: number }).n;
    writer.episode(episode(1, 2));
    writer.metric('charts/episodic_return', 1, 1, 0, 1);
    expect(stored()).toBe(0);
    writer.episode(episode(2, 0));
    expect(stored()).toBe(2);
    writer.episode(episode(3, 3));
    expect(stored()).toBe(2);
    writer.metric('charts/episodic_return', 3, 3, 0, 1);
    expect(stored()).toBe(3);
  });

  it('skips non-finite values rather than store a wrong number', () => {
    const db = openDatabase(':memory:');
    const id = createExperiment(db, base);
    const writer = new RunWriter(db, id);
    writer.metric('losses/td_loss', 1, 1, 0, NaN);
    writer.flush();
    expect(readMetrics(db, id)).toEqual([]);
  });

  it('truncates what was written after a checkpoint before a resume', () => {
    const db = openDatabase(':memory:');
    const id = createExperiment(db, base);
    const writer = new RunWriter(db, id);
    for (let episode = 1; episode <= 4; episode++) writer.metric('charts/episodic_return', episode * 10, episode, episode, episode);
    writer.flush();
    truncateRunAfter(db, id, 2);
    expect(readMetrics(db, id).map((p) => p.episode)).toEqual([1, 2]);
  });

  it('exports metrics as CSV with one row per step', () => {
    expect(metricsCsv([
      { name: 'b', step: 2, episode: 1, wall_time: 0.5, value: 3 },
      { name: 'a', step: 2, episode: 1, wall_time: 0.5, value: 1 },
      { name: 'a', step: 4, episode: 2, wall_time: 1, value: 2 },
    ])).toBe('step,episode,wall_time,a,b\n2,1,0.5,1,3\n4,2,1,2,\n');
  });
});
