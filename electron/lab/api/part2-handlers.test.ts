import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabClient } from '#shared/api/lab-client.ts';
import { tokenId } from '#shared/env/token-vocabulary.ts';
import type { LabClient } from '#shared/api/contract.ts';
import { openDatabase, type LabDatabase } from '#lab/store/database.ts';
import { createExperiment } from '#lab/store/experiments.ts';
import { saveProblemSet } from '#lab/store/problem-sets.ts';
import { RunWriter } from '#lab/store/run-writer.ts';
import { TrainerManager } from '#lab/training/trainer-manager.ts';
import { scriptedTrainerSpawner } from '../../../tests/e2e/support/scripted-trainer.ts';
import { createLabApi, type LabApi } from './create-lab-api.ts';

/** The compare, episode, problem-set and settings methods over a store written by hand. */
describe('compare, replay, problem sets and settings through the API', () => {
  let dir: string;
  let db: LabDatabase;
  let api: LabApi;
  let client: LabClient;
  let setId: number;
  const runs: number[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lab-api2-'));
    db = openDatabase(join(dir, 'lab.sqlite'));
    setId = saveProblemSet(db, {
      name: 'tiny',
      problems: [{ function_name: 'add', docstring: 'Add.', parameters: ['a', 'b'], starter_code: '', test_cases: [[[1, 2], 3], [[2, 2], 4]] }],
    });
    for (const lr of [0.001, 0.002]) {
      const id = createExperiment(db, {
        name: `lr ${lr}`, agent: 'dqn', problemSetId: setId, problemSetName: 'tiny', config: { agent: { learning_rate: lr } }, seed: 1, episodesTotal: 10, tags: [], notes: '', parentId: null,
      });
      const writer = new RunWriter(db, id);
      for (let step = 1; step <= 1000; step++) writer.metric('charts/episodic_return', step, step, step / 10, step % 100 === 0 ? 50 : step / 100);
      writer.episode({
        episode: 3, problemName: 'add', kind: 'train', totalReturn: 5, length: 4, success: true, code: 'def add(a, b):\n    return a + b\n',
        testsPassed: 2, testsTotal: 2, verdicts: ['passed', 'passed'],
        steps: [
          { t: 0, action: tokenId('return'), token: 'return', validActions: 30, topQ: [[tokenId('return'), 1]], explored: false, reward: 0, rewardParts: { quality: 0 } },
          { t: 1, action: tokenId('P0'), token: 'P0', validActions: 20, topQ: [[tokenId('P0'), 0.5]], explored: true, reward: 0, rewardParts: { quality: 0 } },
          { t: 2, action: tokenId('+'), token: '+', validActions: 10, topQ: [], explored: false, reward: 0, rewardParts: { quality: 0 } },
          { t: 3, action: tokenId('P1'), token: 'P1 NEWLINE END', validActions: 9, topQ: [], explored: false, reward: 5, rewardParts: { quality: 5 } },
        ],
      });
      writer.flush();
      runs.push(id);
    }
    api = createLabApi({ db, dbPath: join(dir, 'lab.sqlite'), trainers: new TrainerManager(join(dir, 'lab.sqlite'), scriptedTrainerSpawner()) });
    client = createLabClient(api.bridge());
  });

  afterAll(async () => {
    await api.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('buckets every point into columns that keep the spikes, and refines them on zoom', async () => {
    const all = await client.call('compare.series', { experiment_ids: runs, name: 'charts/episodic_return', buckets: 10 });
    expect([all.x_min, all.x_max, all.runs[0]!.total_points]).toEqual([1, 1000, 1000]);
    expect(all.runs[0]!.buckets.reduce((n, b) => n + b.count, 0)).toBe(1000);
    expect(all.runs[0]!.buckets.every((b) => b.max === 50)).toBe(true);
    const zoomed = await client.call('compare.series', { experiment_ids: runs, name: 'charts/episodic_return', buckets: 10, x_min: 101, x_max: 110 });
    expect(zoomed.runs[0]!.buckets.map((b) => b.count)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    const table = await client.call('compare.summary', { experiment_ids: runs, names: ['charts/episodic_return'], at_step: 150 });
    expect(table.rows[0]).toMatchObject({ value: 1.5, value_step: 150, best: 50, best_step: 100, points: 150 });
  });

  it('finds, replays and re-runs an episode; exports every metric', async () => {
    const first = await client.call('episodes.find', { experiment_id: runs[0]!, pick: 'first_success' });
    const replay = await client.call('episodes.replay', { experiment_id: runs[0]!, episode_id: first.id });
    expect(replay.frames.map((f) => f.code)).toEqual([
      'def add(a, b):\n    return\n',
      'def add(a, b):\n    return a\n',
      'def add(a, b):\n    return a +\n',
      'def add(a, b):\n    return a + b\n',
    ]);
    expect(replay.frames.map((f) => [f.token, f.forced, f.return_so_far])).toEqual([['return', [], 0], ['a', [], 0], ['+', [], 0], ['b', ['NEWLINE', 'END'], 5]]);
    const run = await client.call('episodes.verdicts', { experiment_id: runs[0]!, episode_id: first.id });
    expect(run.tests.map((t) => [t.input, t.expected, t.actual, t.verdict])).toEqual([['add(1, 2)', '3', '3', 'passed'], ['add(2, 2)', '4', '4', 'passed']]);
    await expect(client.call('episodes.find', { experiment_id: runs[0]!, pick: 'number', episode: 99 })).rejects.toMatchObject({ code: 'not_found' });
    const csv = await client.call('compare.export', { experiment_ids: runs, format: 'csv' });
    expect(csv.text.split('\n').length).toBe(2002);
  }, 30_000);

  it('imports all or nothing, refuses invalid problems with paths, and keeps names unique', async () => {
    const bad = await client.call('problemSets.import', { files: [{ name: 'x.json', content: '[{"function_name": "f"}]' }] });
    expect([bad.ok, bad.errors[0]?.path]).toEqual([false, '[0].docstring']);
    const good = await client.call('problemSets.import', { files: [{ name: 'x.json', content: '[{"function_name": "f", "docstring": "d", "test_cases": [[1, 1]]}]' }] });
    expect([good.ok, good.set]).toEqual([true, 'x']);
    const again = await client.call('problemSets.import', { files: [{ name: 'x.json', content: '[{"function_name": "f", "docstring": "d", "test_cases": [[1, 1]]}]' }] });
    expect([again.ok, again.errors.at(-1)?.message]).toEqual([false, 'a problem set named "x" already exists: rename or delete it, or import under another name']);
    await expect(client.call('problems.save', { set_id: good.set_id!, index: 0, problem: { function_name: 'f', docstring: 1, test_cases: [] } })).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [{ path: 'problem.docstring', message: 'expected a string' }],
    });
    const copy = await client.call('problemSets.duplicate', { id: good.set_id! });
    expect([copy.name, copy.problem_count, copy.bundled]).toEqual(['x (copy)', 1, false]);
  });

  it('refuses an interpreter that does not run and saves one that does', async () => {
    await expect(client.call('settings.setPython', { path: '/no/such/python' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await client.call('settings.python')).saved).toBe(null);
    const saved = await client.call('settings.setPython', { path: 'python3' });
    expect([saved.saved, process.env.LAB_PYTHON]).toEqual(['python3', 'python3']);
    await client.call('settings.setPython', { path: null });
    expect(process.env.LAB_PYTHON).toBe(undefined);
  }, 30_000);
});
