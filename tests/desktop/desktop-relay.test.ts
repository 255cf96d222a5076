import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_METHOD_NAMES } from '#shared/api/contract.ts';
import { NODE_MISSING_MESSAGE } from '../../electron/host/find-node.ts';
import { startLabServer, type LabServer } from '../../electron/server/lab-server.ts';
import { alive, commandLine, descendants, launchDesktopApp, type DesktopApp } from './support/desktop-app.ts';

/**
 * The desktop app's relay, without the Electron binary: the built main process and preload run on
 * a stand-in for the `electron` module, with a real engine host (plain Node) behind them.
 */

const MINI_SET = JSON.stringify([
  { function_name: 'add', docstring: 'Add two numbers.', parameters: ['a', 'b'], test_cases: [[[1, 2], 3], [[0, 0], 0]], reference_solution: 'def add(a, b):\n    return a + b\n' },
  { function_name: 'double', docstring: 'Twice x.', parameters: ['x'], test_cases: [[1, 2], [3, 6]] },
]);
const EXTRA_PROBLEM = { function_name: 'negate', docstring: 'Minus x.', parameters: ['x'], test_cases: [[1, -1], [0, 0]] };
const TINY_TRAINING = { training: { num_episodes: 400, log_frequency: 1 }, agent: { hidden_dim: 32, batch_size: 16 } };

type Results = Record<string, unknown>;
type Step = [label: string, method: string, input?: (r: Results) => unknown];
const id = (label: string) => (r: Results) => (r[label] as { id: number }).id;
const setIdOf = (label: string) => (r: Results) => (r[label] as { set_id: number }).set_id;

/** A session touching every method of the contract, in an order where each input exists. */
const SCRIPT: Step[] = [
  ['sets', 'problemSets.list'],
  ['problems', 'problems.list', (r) => ({ set_id: (r.sets as { id: number }[])[0]!.id })],
  ['presets', 'presets.list'],
  ['fast', 'presets.get', () => ({ name: 'fast' })],
  ['no-preset', 'presets.get', () => ({ name: 'nope' })],
  ['validate', 'config.validate', () => ({ yaml: 'agent:\n  learning_rate: 0.001\n  lerning_rate: 1\n' })],
  ['settings', 'settings.get'],
  ['set-theme', 'settings.set', () => ({ theme: 'dark' })],
  ['bad-theme', 'settings.set', () => ({ theme: 'purple' })],
  ['info', 'lab.info'],
  ['python', 'settings.python'],
  ['bad-python', 'settings.setPython', () => ({ path: '/nonexistent/python3' })],
  ['backends', 'lab.backends'],
  ['mini', 'problemSets.import', () => ({ files: [{ name: 'mini.json', content: MINI_SET }], set_name: 'mini' })],
  ['bad-import', 'problemSets.import', () => ({ files: [{ name: 'bad.json', content: '[{"function_name": 1}' }] })],
  ['empty', 'problemSets.create', () => ({ name: 'empty' })],
  ['renamed', 'problemSets.rename', (r) => ({ id: id('empty')(r), name: 'empty, renamed' })],
  ['copy', 'problemSets.duplicate', (r) => ({ id: setIdOf('mini')(r) })],
  ['deleted-set', 'problemSets.delete', (r) => ({ id: id('empty')(r) })],
  ['problem', 'problems.get', (r) => ({ set_id: setIdOf('mini')(r), index: 0 })],
  ['saved', 'problems.save', (r) => ({ set_id: setIdOf('mini')(r), index: null, problem: EXTRA_PROBLEM })],
  ['deleted-problem', 'problems.delete', (r) => ({ set_id: setIdOf('mini')(r), index: 2 })],
  ['reference', 'problems.checkReference', () => ({ problem: JSON.parse(MINI_SET)[0] })],
  ['run', 'experiments.create', (r) => ({ name: 'idle', problem_set_id: setIdOf('mini')(r), config: TINY_TRAINING, seed: 7, start: false })],
  ['runs', 'experiments.list'],
  ['got', 'experiments.get', (r) => ({ id: id('run')(r) })],
  ['missing', 'experiments.get', () => ({ id: 99_999 })],
  ['rename', 'experiments.rename', (r) => ({ id: id('run')(r), name: 'idle run' })],
  ['tag', 'experiments.tag', (r) => ({ id: id('run')(r), tags: ['relay'] })],
  ['note', 'experiments.note', (r) => ({ id: id('run')(r), notes: 'never started' })],
  ['clone', 'experiments.clone', (r) => ({ id: id('run')(r) })],
  ['start-missing', 'experiments.start', () => ({ id: 99_999 })],
  ['pause', 'experiments.pause', (r) => ({ id: id('run')(r) })],
  ['resume', 'experiments.resume', (r) => ({ id: id('run')(r) })],
  ['stop', 'experiments.stop', (r) => ({ id: id('run')(r) })],
  ['from-checkpoint', 'experiments.resumeFromCheckpoint', () => ({ id: 99_999 })],
  ['epsilon', 'experiments.setEpsilon', (r) => ({ id: id('run')(r), value: 0.5 })],
  ['lr', 'experiments.setLearningRate', (r) => ({ id: id('run')(r), value: 0.01 })],
  ['metrics', 'metrics.get', (r) => ({ experiment_id: id('run')(r) })],
  ['interventions', 'interventions.list', (r) => ({ experiment_id: id('run')(r) })],
  ['solved', 'episodes.solved', (r) => ({ experiment_id: id('run')(r) })],
  ['episodes', 'episodes.list', (r) => ({ experiment_id: id('run')(r) })],
  ['best', 'episodes.find', (r) => ({ experiment_id: id('run')(r), pick: 'best' })],
  ['replay', 'episodes.replay', (r) => ({ experiment_id: id('run')(r), episode_id: 1 })],
  ['verdicts', 'episodes.verdicts', (r) => ({ experiment_id: id('run')(r), episode_id: 1 })],
  ['series', 'compare.series', (r) => ({ experiment_ids: [id('run')(r)], name: 'charts/episodic_return' })],
  ['summary', 'compare.summary', (r) => ({ experiment_ids: [id('run')(r), id('clone')(r)] })],
  ['solved-matrix', 'compare.solved', (r) => ({ experiment_ids: [id('run')(r)] })],
  ['export', 'compare.export', (r) => ({ experiment_ids: [id('run')(r)], format: 'json' })],
  ['deleted-run', 'experiments.delete', (r) => ({ id: id('clone')(r) })],
  ['unknown', 'experiments.launch', () => ({})],
];

/** Paths of the two data folders and wall-clock times are the only things allowed to differ. */
function comparable(answer: unknown, dirs: string[]): unknown {
  let text = JSON.stringify(answer);
  for (const dir of dirs) text = text.split(dir).join('<data>');
  text = text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?/g, '<time>');
  return JSON.parse(text);
}

function resultOf<T>(answer: unknown): T {
  const response = answer as { ok: boolean; result?: T; error?: { message: string } };
  if (!response.ok) throw new Error(`refused: ${response.error?.message}`);
  return response.result as T;
}

describe('the desktop relay (preload -> main -> engine host)', () => {
  let desktopDir: string;
  let serverDir: string;
  let app: DesktopApp;
  let server: LabServer;

  const overHttp = async (method: string, input: unknown) => {
    const response = await fetch(`http://127.0.0.1:${server.port}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: input === undefined ? '' : JSON.stringify(input),
    });
    return response.json();
  };

  beforeAll(async () => {
    desktopDir = mkdtempSync(join(tmpdir(), 'lab-desktop-'));
    serverDir = mkdtempSync(join(tmpdir(), 'lab-desktop-server-'));
    [app, server] = await Promise.all([
      launchDesktopApp({ LAB_DATA_DIR: desktopDir, LAB_DB_PATH: join(desktopDir, 'lab.sqlite'), LAB_NODE_PATH: process.execPath }),
      startLabServer({ dbPath: join(serverDir, 'lab.sqlite'), port: 0 }),
    ]);
  }, 120_000);

  afterAll(async () => {
    if (app && app.process.exitCode === null) app.process.kill('SIGKILL');
    await server?.close();
    rmSync(desktopDir, { recursive: true, force: true });
    rmSync(serverDir, { recursive: true, force: true });
  });

  it('runs the engine in a plain Node child of main, not in main', () => {
    const hosts = descendants(app.process.pid!).filter((pid) => commandLine(pid).includes('engine-host'));
    expect(hosts).toHaveLength(1);
    expect(commandLine(hosts[0]!)).toMatch(new RegExp(`^${process.execPath} \\S*/electron/host/engine-host\\.js \\{"dbPath":`));
  });

  it('answers every contract method as the lab server does over HTTP', async () => {
    const desktopResults: Results = {};
    const called = new Set<string>();
    const steps = [...SCRIPT, ...API_METHOD_NAMES.filter((m) => !SCRIPT.some(([, method]) => method === m)).map((m): Step => [m, m, () => ({})])];
    for (const [label, method, input] of steps) {
      const args = input?.(desktopResults);
      const [viaDesktop, viaHttp] = [await app.call(method, args), await overHttp(method, args)];
      expect({ label, answer: comparable(viaDesktop, [desktopDir]) }).toEqual({ label, answer: comparable(viaHttp, [serverDir]) });
      desktopResults[label] = (viaDesktop as { result?: unknown }).result;
      called.add(method);
    }
    expect(API_METHOD_NAMES.filter((m) => !called.has(m))).toEqual([]);
    expect(app.events.some((e) => (e as { name: string }).name === 'SettingsChanged')).toBe(true);
  }, 120_000);

  it('refuses calls from a frame that is not the window\'s top frame', async () => {
    expect(await app.callFromSubframe('settings.get')).toEqual({ ok: false, error: { code: 'unauthorized', message: 'IPC call from an untrusted frame' } });
  });

  it('trains a run started through the relay, streams its events, and stops it', async () => {
    const [set] = resultOf<{ id: number }[]>(await app.call('problemSets.list'));
    const run = resultOf<{ id: number }>(await app.call('experiments.create', { name: 'relay run', problem_set_id: set!.id, config: TINY_TRAINING, seed: 3 }));
    const named = (name: string) => app.events.filter((e) => (e as { name: string; payload: { experiment_id: number } }).name === name && (e as { payload: { experiment_id: number } }).payload.experiment_id === run.id);
    await expect.poll(() => named('ExperimentStarted').length, { timeout: 60_000 }).toBe(1);
    const trainerPid = (named('ExperimentStarted')[0] as { payload: { pid: number } }).payload.pid;
    expect(descendants(app.process.pid!)).toContain(trainerPid);
    await expect.poll(() => named('MetricsAppended').length, { timeout: 90_000 }).toBeGreaterThan(0);
    resultOf(await app.call('experiments.stop', { id: run.id }));
    await expect
      .poll(async () => resultOf<{ status: string }>(await app.call('experiments.get', { id: run.id })).status, { timeout: 90_000 })
      .toBe('stopped');
    await expect.poll(() => alive(trainerPid), { timeout: 10_000 }).toBe(false);
    expect(named('ExperimentStatusChanged').map((e) => (e as { payload: { status: string } }).payload.status)).toContain('stopped');
    const points = resultOf<{ points: unknown[] }>(await app.call('metrics.get', { experiment_id: run.id })).points;
    expect(points.length).toBeGreaterThan(0);
  }, 240_000);

  it('quits: a training run checkpoints, then the host and the trainer are gone', async () => {
    const [set] = resultOf<{ id: number }[]>(await app.call('problemSets.list'));
    const run = resultOf<{ id: number }>(await app.call('experiments.create', { name: 'quit run', problem_set_id: set!.id, config: TINY_TRAINING, seed: 4 }));
    await expect.poll(() => app.events.filter((e) => (e as { name: string; payload: { experiment_id: number } }).name === 'MetricsAppended' && (e as { payload: { experiment_id: number } }).payload.experiment_id === run.id).length, { timeout: 90_000 }).toBeGreaterThan(0);
    const host = descendants(app.process.pid!).find((pid) => commandLine(pid).includes('engine-host'))!;
    const trainer = (app.events.find((e) => (e as { name: string; payload: { experiment_id: number } }).name === 'ExperimentStarted' && (e as { payload: { experiment_id: number } }).payload.experiment_id === run.id) as { payload: { pid: number } }).payload.pid;
    const processes = descendants(app.process.pid!);
    expect(processes).toEqual(expect.arrayContaining([host, trainer]));
    expect(await app.quit()).toBe(0);
    // Gone when the app's process ends, not later: main waited for them.
    expect([host, trainer].filter(alive)).toEqual([]);
    await expect.poll(() => processes.filter(alive), { timeout: 10_000 }).toEqual([]);
    const reopened = await startLabServer({ dbPath: join(desktopDir, 'lab.sqlite'), port: 0 });
    try {
      const after = resultOf<{ status: string }>(await reopened.api.call('experiments.get', { id: run.id }));
      expect(after.status).toBe('stopped');
    } finally {
      await reopened.close();
    }
  }, 240_000);
});

describe('the desktop app without Node.js', () => {
  it('says so in its window and on stderr, and quits cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-desktop-nonode-'));
    const app = await launchDesktopApp({ LAB_DATA_DIR: dir, LAB_NODE_PATH: '', npm_node_execpath: '', PATH: '/nonexistent' }, 'window');
    try {
      const [window] = app.windows;
      expect(window!.preload).toBe(false);
      expect(decodeURIComponent(window!.url)).toContain(NODE_MISSING_MESSAGE);
      expect(app.stderr()).toContain(`RL Code Lab: ${NODE_MISSING_MESSAGE}`);
      expect(descendants(app.process.pid!).filter((pid) => commandLine(pid).includes('engine-host'))).toEqual([]);
      expect(await app.quit()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the desktop app killed outright', () => {
  it('leaves no engine host or trainer behind: they notice, checkpoint and leave', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-desktop-killed-'));
    const app = await launchDesktopApp({ LAB_DATA_DIR: dir, LAB_DB_PATH: join(dir, 'lab.sqlite'), LAB_NODE_PATH: process.execPath });
    try {
      const [set] = resultOf<{ id: number }[]>(await app.call('problemSets.list'));
      const run = resultOf<{ id: number }>(await app.call('experiments.create', { name: 'orphan', problem_set_id: set!.id, config: TINY_TRAINING, seed: 5 }));
      await expect.poll(() => app.events.some((e) => (e as { name: string }).name === 'MetricsAppended'), { timeout: 90_000 }).toBe(true);
      const processes = descendants(app.process.pid!);
      app.process.kill('SIGKILL');
      await app.exited;
      await expect.poll(() => processes.filter(alive), { timeout: 30_000 }).toEqual([]);
      const reopened = await startLabServer({ dbPath: join(dir, 'lab.sqlite'), port: 0 });
      try {
        expect(resultOf<{ status: string }>(await reopened.api.call('experiments.get', { id: run.id })).status).toBe('stopped');
      } finally {
        await reopened.close();
      }
    } finally {
      if (app.process.exitCode === null && app.process.signalCode === null) app.process.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
