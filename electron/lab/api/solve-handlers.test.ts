import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabClient } from '#shared/api/lab-client.ts';
import type { LabClient, LabEvent } from '#shared/api/contract.ts';
import { openDatabase, type LabDatabase } from '#lab/store/database.ts';
import { findProblemSet, saveProblemSet } from '#lab/store/problem-sets.ts';
import { createExperiment, getExperiment } from '#lab/store/experiments.ts';
import type { TrainerChannel } from '#lab/training/trainer-channel.ts';
import { runTrainingLoop } from '#lab/training/training-loop.ts';
import { parseConfigYaml } from '#shared/config/parse-config-yaml.ts';
import { createSolveRun, listSolveResults, setSolverPid } from '#lab/store/solve-runs.ts';
import { TrainerManager } from '#lab/training/trainer-manager.ts';
import { scriptedTrainerSpawner } from '../../../tests/e2e/support/scripted-trainer.ts';
import { createLabApi, type LabApi } from './create-lab-api.ts';

const numbered = (set: string, n: number, docstring: string, tests: [number, number][]) => ({ name: `${set}/${n}`, function_name: `f${n}`, docstring, parameters: ['n'], starter_code: '', test_cases: tests });

/** Solve runs through the in-process API, each in a real solver process with the real executor. */
describe('solve runs through the API', () => {
  let dir: string;
  let db: LabDatabase;
  let api: LabApi;
  let client: LabClient;
  let leftRunning: number;
  let dbPath: string;
  const events: LabEvent[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lab-solve-api-'));
    dbPath = join(dir, 'lab.sqlite');
    db = openDatabase(dbPath);
    saveProblemSet(db, {
      name: 'tiny',
      problems: [
        numbered('tiny', 1, 'Return n.', [[1, 1], [5, 5]]),
        numbered('tiny', 2, 'Return -n.', [[3, -3], [0, 0], [-2, 2]]),
        numbered('tiny', 3, 'Return n plus one.', [[1, 2], [4, 5]]),
      ],
    });
    // No program returns two answers for one input: searched to the end of any budget.
    saveProblemSet(db, { name: 'hopeless', problems: [numbered('hopeless', 1, 'Return n.', [[1, 1]]), numbered('hopeless', 2, 'Contradicts itself.', [[1, 1], [1, 2]])] });
    // A run an earlier lab was solving when it died: no process has that pid.
    leftRunning = createSolveRun(db, { problemSetId: null, problemSet: 'gone', tasks: null, agents: ['random'], problems: ['f'], budget: 10, seed: 1 });
    setSolverPid(db, leftRunning, 2 ** 30);
    api = createLabApi({ db, dbPath, trainers: new TrainerManager(dbPath, scriptedTrainerSpawner()) });
    api.subscribe((e) => events.push(e));
    client = createLabClient(api.bridge());
  });

  afterAll(async () => {
    await api.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const progress = (id: number) => events.flatMap((e) => (e.name === 'SolveProgressed' && e.payload.solve_id === id ? [e.payload] : []));
  const ended = (id: number) => progress(id).find((p) => p.status !== 'running');

  it('solves the problems of a task range with each agent in turn, storing every result and summing up per agent', async () => {
    const run = await client.call('solves.start', { problem_set: 'tiny', tasks: { first: 1, last: 2 }, agents: ['enumerate-oe', 'random'], budget: 30 });
    expect(run).toMatchObject({ problem_set: 'tiny', tasks: { first: 1, last: 2 }, agents: ['enumerate-oe', 'random'], problems: ['tiny/1', 'tiny/2'], budget: 30, seed: 1, status: 'running' });
    await until(() => ended(run.id) !== undefined);
    expect(ended(run.id)).toEqual({ solve_id: run.id, status: 'done', error: null, result: null });

    const streamed = progress(run.id).flatMap((p) => (p.result ? [p.result] : []));
    expect(streamed.map((r) => [r.agent, r.problem_index, r.problem])).toEqual([['enumerate-oe', 0, 'tiny/1'], ['enumerate-oe', 1, 'tiny/2'], ['random', 0, 'tiny/1'], ['random', 1, 'tiny/2']]);
    expect(listSolveResults(db, run.id)).toEqual(streamed);

    const detail = await client.call('solves.get', { id: run.id });
    expect(detail).toMatchObject({ status: 'done', finished_at: expect.any(String), results: streamed });
    expect(detail.results.slice(0, 2).map((r) => [r.solved, r.program])).toEqual([[true, 'def f1(n):\n    return n\n'], [true, 'def f2(n):\n    return -n\n']]);
    expect(detail.results.every((r) => r.samples_executed <= 30 && r.solved === (r.program !== null))).toBe(true);
    const oe = detail.results.filter((r) => r.agent === 'enumerate-oe');
    expect(detail.summaries[0]).toEqual({
      agent: 'enumerate-oe', solved: 2, problems: 2, solved_within_100: 2,
      median_samples: (oe[0]!.samples_executed + oe[1]!.samples_executed) / 2, seconds: oe[0]!.seconds + oe[1]!.seconds,
    });
    expect(detail.summaries[1]).toMatchObject({ agent: 'random', problems: 2, solved: detail.results.filter((r) => r.agent === 'random' && r.solved).length });

    const listed = await client.call('solves.list');
    expect(listed.find((r) => r.id === run.id)?.summaries).toEqual(detail.summaries);
  }, 180_000);

  it('stops a running run after the problem at hand, keeping what it found', async () => {
    const run = await client.call('solves.start', { problem_set: 'hopeless', agents: ['random'], budget: 100_000 });
    await until(() => progress(run.id).some((p) => p.result !== null));
    expect(await client.call('solves.stop', { id: run.id })).toMatchObject({ id: run.id, status: 'running' });
    await until(() => ended(run.id) !== undefined);
    expect(ended(run.id)).toMatchObject({ status: 'stopped', error: null });
    const detail = await client.call('solves.get', { id: run.id });
    expect([detail.status, detail.results.map((r) => [r.problem, r.solved])]).toEqual(['stopped', [['hopeless/1', true]]]);
    await expect(client.call('solves.stop', { id: run.id })).rejects.toMatchObject({ code: 'not_running', message: `solve run ${run.id} is not running (stopped)` });
  }, 180_000);

  it('keeps every stored result of a run whose solver is killed, and ends it as interrupted', async () => {
    const run = await client.call('solves.start', { problem_set: 'hopeless', agents: ['random'], budget: 100_000 });
    await until(() => progress(run.id).some((p) => p.result !== null));
    const { solver_pid } = db.prepare('SELECT solver_pid FROM solve_runs WHERE id = ?').get(run.id) as { solver_pid: number };
    process.kill(solver_pid, 'SIGKILL');
    await until(() => ended(run.id) !== undefined);
    expect(ended(run.id)).toEqual({ solve_id: run.id, status: 'interrupted', error: 'the solver process ended without finishing (signal SIGKILL)', result: null });
    const detail = await client.call('solves.get', { id: run.id });
    expect([detail.status, detail.results.map((r) => r.problem)]).toEqual(['interrupted', ['hopeless/1']]);
  }, 180_000);

  it('runs the shipped pretrained agent in the solver process', async () => {
    const run = await client.call('solves.start', { problem_set: 'tiny', tasks: { first: 1, last: 1 }, agents: ['pretrained'], budget: 30 });
    await until(() => ended(run.id) !== undefined);
    const detail = await client.call('solves.get', { id: run.id });
    expect([detail.status, detail.error, detail.results.map((r) => [r.agent, r.problem])]).toEqual(['done', null, [['pretrained', 'tiny/1']]]);
    expect(detail.results[0]!.samples_executed).toBeLessThanOrEqual(30);
  }, 180_000);

  it('refuses an unknown set, an unknown agent, a budget out of range and an empty task range, starting nothing', async () => {
    const before = (await client.call('solves.list')).length;
    await expect(client.call('solves.start', { problem_set: 'nope' })).rejects.toMatchObject({ code: 'not_found', message: 'no problem set "nope"', issues: [{ path: 'problem_set' }] });
    await expect(client.call('solves.start', { problem_set: 'tiny', agents: ['random', 'nope' as 'random'] })).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [{ path: 'agents.1', message: 'unknown agent "nope" (pretrained, guided-oe, best-first, enumerate-oe, dqn, pqt, rspg, random, enumerate)' }],
    });
    await expect(client.call('solves.start', { problem_set: 'tiny', budget: 100_001 })).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [{ path: 'budget', message: 'the budget is at most 100,000 executed programs' }],
    });
    await expect(client.call('solves.start', { problem_set: 'tiny', budget: 0 })).rejects.toMatchObject({ issues: [{ path: 'budget', message: 'the budget is at least 1 executed program' }] });
    await expect(client.call('solves.start', { problem_set: 'tiny', tasks: { first: 5, last: 9 } })).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'no problem of "tiny" has a task number in 5-9',
      issues: [{ path: 'tasks' }],
    });
    await expect(client.call('solves.start', { problem_set: 'tiny', tasks: { first: 3, last: 2 } })).rejects.toMatchObject({ issues: [{ path: 'tasks.last', message: 'first must be at most last' }] });
    expect((await client.call('solves.list')).length).toBe(before);
  });

  it('marks a run an earlier lab left running as interrupted when the lab starts', async () => {
    expect(await client.call('solves.get', { id: leftRunning })).toMatchObject({ status: 'interrupted', error: expect.stringContaining('stopped without finishing'), results: [] });
  });

  it('deletes an ended run with its results, telling every client, and refuses a running one', async () => {
    const running = await client.call('solves.start', { problem_set: 'hopeless', agents: ['random'], budget: 100_000 });
    await expect(client.call('solves.delete', { id: running.id })).rejects.toMatchObject({ code: 'conflict', message: `solve run ${running.id} is running: stop it before deleting it` });
    await client.call('solves.stop', { id: running.id });
    await until(() => ended(running.id) !== undefined);
    expect(listSolveResults(db, running.id).length).toBeGreaterThan(0);
    expect(await client.call('solves.delete', { id: running.id })).toEqual({ deleted: true });
    expect(events.filter((e) => e.name === 'SolveDeleted').map((e) => e.payload)).toEqual([{ solve_id: running.id }]);
    expect(listSolveResults(db, running.id)).toEqual([]);
    await expect(client.call('solves.get', { id: running.id })).rejects.toMatchObject({ code: 'not_found' });
    expect((await client.call('solves.list')).some((r) => r.id === running.id)).toBe(false);
  }, 180_000);

  it("starts the dqn agent from a trained experiment's network, with that experiment's config", async () => {
    const trained = await trainTinyDqn(db, dbPath);
    const run = await client.call('solves.start', { problem_set: 'tiny', tasks: { first: 1, last: 2 }, agents: ['dqn'], budget: 20, experiment_id: trained });
    expect(run.start_from).toEqual({ experiment_id: trained, experiment_name: 'tiny dqn' });
    await until(() => ended(run.id) !== undefined);
    const detail = await client.call('solves.get', { id: run.id });
    expect([detail.status, detail.error, detail.results.map((r) => [r.agent, r.problem])]).toEqual(['done', null, [['dqn', 'tiny/1'], ['dqn', 'tiny/2']]]);
    // The trained experiment's max_steps (8) bounds every program the run wrote.
    for (const r of detail.results.filter((r) => r.program)) expect(r.program!.split('\n').length).toBeLessThanOrEqual(4);
  }, 240_000);

  it('refuses to start from an experiment that is missing, not a DQN, lacks a checkpoint, or without the dqn agent', async () => {
    const untrained = createExperiment(db, { name: 'never ran', agent: 'dqn', problemSetId: null, problemSetName: 'tiny', config: {}, seed: 1, episodesTotal: 10 });
    const baseline = createExperiment(db, { name: 'random', agent: 'random', problemSetId: null, problemSetName: 'tiny', config: {}, seed: 1, episodesTotal: 10 });
    const start = (experiment_id: number, agents: ('dqn' | 'random')[] = ['dqn']) => client.call('solves.start', { problem_set: 'tiny', agents, experiment_id });
    await expect(start(9999)).rejects.toMatchObject({ code: 'not_found', message: 'no experiment 9999', issues: [{ path: 'experiment_id' }] });
    await expect(start(baseline)).rejects.toMatchObject({ code: 'invalid_input', message: `experiment ${baseline} trained a random agent: only a DQN experiment's network can start a solve` });
    await expect(start(untrained)).rejects.toMatchObject({ code: 'invalid_input', message: `experiment ${untrained} has no checkpoint yet`, issues: [{ path: 'experiment_id' }] });
    await expect(start(untrained, ['random'])).rejects.toMatchObject({ code: 'invalid_input', message: `starting from experiment ${untrained} needs the dqn agent among the agents` });
  });

  it('answers not_found for a run that does not exist', async () => {
    await expect(client.call('solves.get', { id: 999 })).rejects.toMatchObject({ code: 'not_found', message: 'no solve run 999' });
  });
});

const TINY_DQN = `environment:
  max_steps: 8
agent:
  hidden_dim: 32
  batch_size: 16
  learning_starts: 16
  device: wasm
training:
  num_episodes: 24
  save_frequency: 12
  eval_frequency: 12
  seed: 3
`;

/** A DQN trained for a few episodes on the tiny set, as `lab train` runs it: its id. */
async function trainTinyDqn(db: LabDatabase, dbPath: string): Promise<number> {
  const config = parseConfigYaml(TINY_DQN).config!;
  const set = findProblemSet(db, 'tiny')!;
  const id = createExperiment(db, { name: 'tiny dqn', agent: 'dqn', problemSetId: set.id, problemSetName: 'tiny', config: config as unknown as Record<string, unknown>, seed: 3, episodesTotal: 24 });
  const channel: TrainerChannel = { send: () => {}, onCommand: () => {}, onParentGone: () => {} };
  await runTrainingLoop({ db, dbPath, experiment: getExperiment(db, id)!, resume: false, channel });
  return id;
}

async function until(condition: () => boolean, timeoutMs = 150_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

