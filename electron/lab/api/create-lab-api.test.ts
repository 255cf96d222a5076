import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabClient } from '#shared/api/lab-client.ts';
import type { LabClient, LabEvent } from '#shared/api/contract.ts';
import { openDatabase, type LabDatabase } from '#lab/store/database.ts';
import { saveProblemSet } from '#lab/store/problem-sets.ts';
import { TrainerManager } from '#lab/training/trainer-manager.ts';
import { scriptedTrainerSpawner } from '../../../tests/e2e/support/scripted-trainer.ts';
import { createLabApi, type LabApi } from './create-lab-api.ts';

const FAST = { training: { num_episodes: 400 } };

describe('the lab API over the store and trainers', () => {
  let dir: string;
  let db: LabDatabase;
  let api: LabApi;
  let client: LabClient;
  let trainers: TrainerManager;
  let setId: number;
  const events: LabEvent[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lab-api-'));
    const dbPath = join(dir, 'lab.sqlite');
    db = openDatabase(dbPath);
    setId = saveProblemSet(db, {
      name: 'tiny',
      problems: [{ function_name: 'add', docstring: 'Add two numbers.', parameters: ['a', 'b'], starter_code: '', test_cases: [[[1, 2], 3]] }],
    });
    trainers = new TrainerManager(dbPath, scriptedTrainerSpawner(30));
    api = createLabApi({ db, dbPath, trainers });
    api.subscribe((e) => events.push(e));
    client = createLabClient(api.bridge());
  });

  afterAll(async () => {
    await trainers.stopAll();
    await api.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses unknown methods and bad input with typed errors', async () => {
    expect(await api.call('experiments.explode', {})).toEqual({ ok: false, error: { code: 'unknown_method', message: 'no API method "experiments.explode"' } });
    const bad = await api.call('experiments.get', { id: 'seven' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.code).toBe('invalid_input');
    expect(!bad.ok && bad.error.issues?.map((i) => i.path)).toEqual(['id']);
    await expect(client.call('experiments.get', { id: 999 })).rejects.toMatchObject({ code: 'not_found', message: 'no experiment 999' });
  });

  it('lists presets with their parsed configs and validates config YAML with positions', async () => {
    const presets = await client.call('presets.list');
    expect(presets.map((p) => p.name)).toEqual(expect.arrayContaining(['fast', 'seed', 'production']));
    expect(presets.every((p) => p.config !== null)).toBe(true);
    const checked = await client.call('config.validate', { yaml: 'agent:\n  learning_rat: 0.1\n' });
    expect(checked.config).toBe(null);
    expect(checked.findings).toEqual([
      { severity: 'error', path: 'agent.learning_rat', line: 2, column: 3, message: 'unknown key "learning_rat": did you mean "learning_rate"?' },
    ]);
  });

  it('refuses a config with errors, naming the key', async () => {
    await expect(
      client.call('experiments.create', { name: 'x', problem_set_id: setId, config: { agent: { gamma: 3 } }, start: false }),
    ).rejects.toMatchObject({ code: 'invalid_input', issues: [{ path: 'config.agent.gamma', message: 'expected a number from 0 to 1' }] });
  });

  it('creates, renames, tags, notes, clones and deletes experiments', async () => {
    const created = await client.call('experiments.create', { name: 'first', problem_set_id: setId, config: FAST, seed: 7, tags: ['a'], start: false });
    expect([created.status, created.seed, created.episodes_total, created.problem_set_name]).toEqual(['created', 7, 400, 'tiny']);
    expect((await client.call('experiments.rename', { id: created.id, name: 'renamed' })).name).toBe('renamed');
    expect((await client.call('experiments.tag', { id: created.id, tags: ['b', 'b', 'c'] })).tags).toEqual(['b', 'c']);
    expect((await client.call('experiments.note', { id: created.id, notes: 'why' })).notes).toBe('why');
    const clone = await client.call('experiments.clone', { id: created.id });
    expect([clone.name, clone.parent_id, clone.tags, clone.status]).toEqual(['renamed (copy)', created.id, ['b', 'c'], 'created']);
    expect(await client.call('experiments.delete', { id: clone.id })).toEqual({ deleted: true });
    expect(events.some((e) => e.name === 'ExperimentDeleted' && e.payload.experiment_id === clone.id)).toBe(true);
    await expect(client.call('experiments.pause', { id: created.id })).rejects.toMatchObject({ code: 'not_running' });
  });

  it('starts a run, streams its metrics, steers, pauses, resumes and stops it', async () => {
    const run = await client.call('experiments.create', { name: 'live', problem_set_id: setId, config: FAST });
    expect(run.status).toBe('running');
    await until(() => events.some((e) => e.name === 'MetricsAppended' && e.payload.experiment_id === run.id));
    expect(await client.call('experiments.setEpsilon', { id: run.id, value: 0.2 })).toEqual({ sent: true });
    await until(() => events.some((e) => e.name === 'InterventionRecorded' && e.payload.experiment_id === run.id));
    await client.call('experiments.pause', { id: run.id });
    await until(() => statusOf(run.id) === 'paused');
    expect((await client.call('experiments.get', { id: run.id })).status).toBe('paused');
    await client.call('experiments.resume', { id: run.id });
    await until(() => statusOf(run.id) === 'running');
    await client.call('experiments.stop', { id: run.id });
    await until(() => statusOf(run.id) === 'stopped' && !trainers.isRunning(run.id));
    const stored = await client.call('experiments.get', { id: run.id });
    expect([stored.status, stored.backend]).toEqual(['stopped', 'scripted']);
    const metrics = await client.call('metrics.get', { experiment_id: run.id, names: ['charts/epsilon'] });
    expect(metrics.points.length).toBeGreaterThan(0);
    expect(metrics.names).toEqual(['charts/episodic_return', 'charts/epsilon', 'charts/success_rate', 'losses/td_loss', 'rewards/correctness', 'rewards/quality']);
    const interventions = await client.call('interventions.list', { experiment_id: run.id });
    expect(interventions.map((i) => [i.kind, i.value])).toEqual([['set_epsilon', 0.2]]);
  });

  function statusOf(id: number): string | undefined {
    const changes = events.flatMap((e) => (e.name === 'ExperimentStatusChanged' && e.payload.experiment_id === id ? [e.payload.status] : []));
    return changes.at(-1);
  }
});

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
