import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type LabDatabase } from '#lab/store/database.ts';
import { createExperiment, getExperiment, markInterruptedRuns } from '#lab/store/experiments.ts';
import { findProblemSet } from '#lab/store/problem-sets.ts';
import { installBundledSets } from '#lab/problems/bundled-sets.ts';
import { parseConfigObject } from '#shared/config/parse-config-yaml.ts';
import type { TrainerCommand, TrainerEvent } from '#shared/training/trainer-events.ts';
import type { TrainerChannel } from './trainer-channel.ts';
import { forkTrainer } from './trainer-client.ts';
import { runTrainingLoop } from './training-loop.ts';

/** A run small enough for a test and big enough to learn, update and checkpoint. */
const TINY = {
  environment: { max_steps: 8 },
  agent: { hidden_dim: 32, batch_size: 16, learning_starts: 16, buffer_capacity: 2000, epsilon_decay: 0.97, device: 'wasm' },
  training: { num_episodes: 40, save_frequency: 10, eval_frequency: 20, seed: 7, replay_every: 10 },
};

async function store(): Promise<{ db: LabDatabase; dbPath: string; setId: number }> {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'lab-train-')), 'lab.sqlite');
  const db = openDatabase(dbPath);
  await installBundledSets(db);
  return { db, dbPath, setId: findProblemSet(db, 'seed-train')!.id };
}

function experiment(db: LabDatabase, setId: number, overrides: Record<string, unknown> = {}): number {
  const config = parseConfigObject({ ...TINY, ...overrides }).config!;
  return createExperiment(db, {
    name: 'tiny', agent: config.agent.type, problemSetId: setId, problemSetName: 'seed-train',
    config: config as unknown as Record<string, unknown>, seed: 7, episodesTotal: config.training.num_episodes,
  });
}

/** The in-process end of the trainer protocol: records events, lets a test send commands. */
function channel(onEvent: (e: TrainerEvent, send: (c: TrainerCommand) => void) => void = () => {}) {
  const events: TrainerEvent[] = [];
  let handler: (c: TrainerCommand) => void = () => {};
  const ch: TrainerChannel = {
    send: (e) => {
      events.push(e);
      onEvent(e, (c) => handler(c));
    },
    onCommand: (h) => (handler = h),
    onParentGone: () => {},
  };
  return { ch, events };
}

const curve = (db: LabDatabase, id: number, name = 'charts/episodic_return') =>
  (db.prepare('SELECT episode, value FROM metrics WHERE experiment_id = ? AND name = ? ORDER BY step').all(id, name) as { episode: number; value: number }[]);

describe('the training loop', () => {
  it('trains for real on a tiny budget: metrics, replayable episodes, checkpoints, a done run', async () => {
    const { db, dbPath, setId } = await store();
    const id = experiment(db, setId);
    const { ch, events } = channel();
    expect(await runTrainingLoop({ db, dbPath, experiment: getExperiment(db, id)!, resume: false, channel: ch })).toBe('done');
    expect(getExperiment(db, id)).toMatchObject({ status: 'done', episodes_done: 40, backend: 'wasm', trainer_pid: null });
    expect(curve(db, id).map((p) => p.episode)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(curve(db, id, 'losses/td_loss').length).toBeGreaterThan(0);
    // Episodes run in batches of num_envs (8): the evaluation due at 20 comes after the batch 17-24.
    expect(curve(db, id, 'charts/greedy_success_rate').map((p) => p.episode)).toEqual([24, 40]);
    const stored = db.prepare("SELECT count(*) AS n FROM steps s JOIN episodes e ON e.id = s.episode_id WHERE e.experiment_id = ?").get(id) as { n: number };
    expect(stored.n).toBeGreaterThan(0);
    const kinds = (db.prepare('SELECT kind, count(*) AS n FROM checkpoints WHERE experiment_id = ? GROUP BY kind ORDER BY kind').all(id) as { kind: string; n: number }[]).map((r) => r.kind);
    expect(kinds).toContain('periodic');
    expect(events.map((e) => e.type)).toContain('progress');
    expect(events.at(-1)).toEqual({ type: 'status', experiment_id: id, status: 'done' });
  }, 120_000);

  it('repeats a run exactly with the same seed on the same backend', async () => {
    const { db, dbPath, setId } = await store();
    const a = experiment(db, setId);
    const b = experiment(db, setId);
    for (const id of [a, b]) await runTrainingLoop({ db, dbPath, experiment: getExperiment(db, id)!, resume: false, channel: channel().ch });
    expect(curve(db, b)).toEqual(curve(db, a));
    expect(curve(db, b, 'losses/td_loss')).toEqual(curve(db, a, 'losses/td_loss'));
  }, 120_000);

  it('continues a stopped run from its checkpoint exactly as if it had not stopped', async () => {
    const { db, dbPath, setId } = await store();
    const straight = experiment(db, setId);
    await runTrainingLoop({ db, dbPath, experiment: getExperiment(db, straight)!, resume: false, channel: channel().ch });

    // The same experiment run to episode 16 (its final checkpoint is the one a stop writes; a stop
    // takes effect at the end of a batch of num_envs episodes), then resumed with its real budget of 40.
    const interrupted = experiment(db, setId);
    const stored = getExperiment(db, interrupted)!;
    const halfway = { ...stored, config: { ...stored.config, training: { ...(stored.config.training as object), num_episodes: 16 } } };
    expect(await runTrainingLoop({ db, dbPath, experiment: halfway, resume: false, channel: channel().ch })).toBe('done');
    expect(await runTrainingLoop({ db, dbPath, experiment: getExperiment(db, interrupted)!, resume: true, channel: channel().ch })).toBe('done');
    expect(curve(db, interrupted)).toEqual(curve(db, straight));
    expect(curve(db, interrupted, 'losses/td_loss')).toEqual(curve(db, straight, 'losses/td_loss'));
  }, 180_000);

  it.each(['pqt', 'rspg'])('trains the %s policy-gradient agent and resumes it exactly', async (type) => {
    const { db, dbPath, setId } = await store();
    const agent = { ...TINY.agent, type, pg_hidden_dim: 32 };
    // One environment: a policy-gradient update lands at an episode's end, and with lanes in lockstep a run
    // cut at episode 20 would update at other steps than the uninterrupted one.
    const training = { ...TINY.training, num_envs: 1 };
    const straight = experiment(db, setId, { agent, training });
    await runTrainingLoop({ db, dbPath, experiment: getExperiment(db, straight)!, resume: false, channel: channel().ch });
    expect(curve(db, straight, 'losses/policy_loss').length).toBeGreaterThan(0);
    const interrupted = experiment(db, setId, { agent, training });
    const stored = getExperiment(db, interrupted)!;
    const halfway = { ...stored, config: { ...stored.config, training: { ...(stored.config.training as object), num_episodes: 20 } } };
    expect(await runTrainingLoop({ db, dbPath, experiment: halfway, resume: false, channel: channel().ch })).toBe('done');
    expect(await runTrainingLoop({ db, dbPath, experiment: getExperiment(db, interrupted)!, resume: true, channel: channel().ch })).toBe('done');
    expect(curve(db, interrupted)).toEqual(curve(db, straight));
    // The same updates on the same programs; the loss may differ in its last bit (summation order).
    const rounded = (id: number) => curve(db, id, 'losses/policy_loss').map((p) => ({ ...p, value: Number(p.value.toPrecision(12)) }));
    expect(rounded(interrupted)).toEqual(rounded(straight));
  }, 180_000);

  it('with search-guided exploration, searches, learns from what it finds and resumes exactly', async () => {
    const { db, dbPath, setId } = await store();
    const search = { training: { ...TINY.training, search_programs: 8, solved_problem_weight: 0.2 }, environment: { max_steps: 8, avoid_repeats: true } };
    const straight = experiment(db, setId, search);
    await runTrainingLoop({ db, dbPath, experiment: getExperiment(db, straight)!, resume: false, channel: channel().ch });
    const searched = curve(db, straight, 'charts/search_programs');
    expect(searched.map((p) => p.episode)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // 8 proposals per episode on an unsolved, unsearched-out problem, before each of the first
    // batch's 8 episodes: the count grows by up to 64 per batch
    expect(searched[0]!.value).toBeGreaterThan(0);
    expect(searched[0]!.value).toBeLessThanOrEqual(64);
    expect(searched.at(-1)!.value).toBeGreaterThan(100);

    const interrupted = experiment(db, setId, search);
    const stored = getExperiment(db, interrupted)!;
    const halfway = { ...stored, config: { ...stored.config, training: { ...(stored.config.training as object), num_episodes: 16 } } };
    await runTrainingLoop({ db, dbPath, experiment: halfway, resume: false, channel: channel().ch });
    await runTrainingLoop({ db, dbPath, experiment: getExperiment(db, interrupted)!, resume: true, channel: channel().ch });
    expect(curve(db, interrupted)).toEqual(curve(db, straight));
    expect(curve(db, interrupted, 'charts/search_programs')).toEqual(searched);
    expect(curve(db, interrupted, 'losses/td_loss')).toEqual(curve(db, straight, 'losses/td_loss'));
  }, 180_000);
});

describe('a trainer process', () => {
  it('survives kill -9: the database stays consistent, the run is marked interrupted, and it resumes to the end', async () => {
    const { db, dbPath, setId } = await store();
    const id = experiment(db, setId, { training: { ...TINY.training, num_episodes: 400, save_frequency: 20 } });
    db.close();
    const trainer = forkTrainer({ dbPath, experimentId: id, resume: false }, { silent: true });
    await new Promise<void>((resolve) => {
      trainer.on('event', (e) => {
        if (e.type === 'progress' && e.progress.episode >= 30) resolve();
      });
    });
    trainer.kill('SIGKILL');
    expect((await trainer.done).status).toBe('interrupted');

    const after = openDatabase(dbPath);
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(markInterruptedRuns(after)).toEqual([id]);
    expect(getExperiment(after, id)?.status).toBe('interrupted');
    const checkpointed = (after.prepare("SELECT max(episode) AS e FROM checkpoints WHERE experiment_id = ? AND kind = 'periodic'").get(id) as { e: number }).e;
    expect(checkpointed).toBeGreaterThanOrEqual(20);
    after.close();

    const resumed = forkTrainer({ dbPath, experimentId: id, resume: true }, { silent: true });
    const started = new Promise<number | null>((resolve) => resumed.on('event', (e) => e.type === 'started' && resolve(e.resumed_from)));
    expect(await started).toBe(checkpointed);
    expect(await resumed.done).toEqual({ status: 'done', error: null });
    const final = openDatabase(dbPath);
    expect(getExperiment(final, id)).toMatchObject({ status: 'done', episodes_done: 400 });
    expect(curve(final, id).map((p) => p.episode)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    final.close();
  }, 300_000);
});
