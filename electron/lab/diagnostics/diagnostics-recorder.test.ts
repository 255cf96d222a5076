import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { installBundledSets } from '#lab/problems/bundled-sets.ts';
import { openDatabase, type LabDatabase } from '#lab/store/database.ts';
import { readDiagnostics } from '#lab/store/diagnostics.ts';
import { createExperiment, getExperiment } from '#lab/store/experiments.ts';
import { findProblemSet } from '#lab/store/problem-sets.ts';
import { runTrainingLoop } from '#lab/training/training-loop.ts';
import { parseConfigObject } from '#shared/config/parse-config-yaml.ts';
import type { DiagnosticKind, SampleOf } from '#shared/diagnostics/diagnostic-samples.ts';
import { TOKENS } from '#shared/env/token-vocabulary.ts';

/** A real DQN run, tiny: 40 episodes, a diagnostics window every 5. */
const TINY = {
  environment: { max_steps: 8 },
  agent: { hidden_dim: 32, batch_size: 16, learning_starts: 16, buffer_capacity: 100, epsilon_decay: 0.97, device: 'wasm' },
  training: { num_episodes: 40, save_frequency: 20, eval_frequency: 20, seed: 7, diagnostics_every: 5 },
};

let db: LabDatabase;
let id: number;
const of = <K extends DiagnosticKind>(kind: K, run = id) => readDiagnostics(db, run, [kind]) as SampleOf<K>[];

async function train(overrides: Record<string, unknown> = {}, agent: Record<string, unknown> = {}): Promise<number> {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'lab-diag-')), 'lab.sqlite');
  db = openDatabase(dbPath);
  await installBundledSets(db);
  const set = findProblemSet(db, 'seed-train')!;
  const config = parseConfigObject({ ...TINY, agent: { ...TINY.agent, ...agent }, training: { ...TINY.training, ...overrides } }).config!;
  const run = createExperiment(db, { name: 'tiny', agent: config.agent.type, problemSetId: set.id, problemSetName: set.name, config: config as unknown as Record<string, unknown>, seed: 7, episodesTotal: 40 });
  await runTrainingLoop({ db, dbPath, experiment: getExperiment(db, run)!, resume: false, channel: { send: () => {}, onCommand: () => {}, onParentGone: () => {} } });
  return run;
}

describe('diagnostics of a real run', () => {
  beforeAll(async () => {
    id = await train();
  }, 120_000);

  it('closes a window every 5 episodes: TD-error quantiles in order, once updates have begun', () => {
    const td = of('td_errors');
    expect(td.length).toBeGreaterThan(0);
    expect(td.every((s) => s.episode % 5 === 0)).toBe(true);
    for (const s of td) expect([...s.data.quantiles]).toEqual([...s.data.quantiles].sort((a, b) => a - b));
  });

  it('keeps the replay buffer make-up within its capacity, its parts adding up', () => {
    const buffers = of('buffer');
    expect(buffers.map((b) => b.episode)).toEqual([5, 10, 15, 20, 25, 30, 35, 40]);
    for (const b of buffers) {
      expect(b.data.size).toBeLessThanOrEqual(100);
      expect(Object.values(b.data.by_source).reduce((a, n) => a + n, 0)).toBe(b.data.size);
      expect(Object.values(b.data.by_problem).reduce((a, n) => a + n, 0)).toBe(b.data.size);
    }
    expect(buffers.at(-1)!.data.size).toBe(100);
  });

  it('counts the tokens of every training episode, per problem and window', () => {
    const tokens = of('tokens');
    const episodes = tokens.filter((t) => t.episode === 5).reduce((n, t) => n + t.data.episodes, 0);
    expect(episodes).toBe(5);
    const names = new Set(TOKENS.map((t) => t.name));
    for (const t of tokens) {
      expect(t.problem).not.toBeNull();
      expect(Object.keys(t.data.counts).every((name) => names.has(name))).toBe(true);
      expect(Object.values(t.data.counts).reduce((a, n) => a + n, 0)).toBeGreaterThanOrEqual(t.data.episodes);
    }
  });

  it('samples the first-step value against the discounted return every 5th episode', () => {
    const points = of('q_return');
    expect(points.length).toBeGreaterThan(0);
    expect(points.every((p) => p.episode % 5 === 0 && Number.isFinite(p.data.q) && Number.isFinite(p.data.ret))).toBe(true);
  });

  it('records nothing when diagnostics are off', async () => {
    const off = await train({ diagnostics: false });
    expect(readDiagnostics(db, off)).toEqual([]);
  }, 120_000);
});

describe('diagnostics of a real priority-queue training run', () => {
  let pqt: number;
  beforeAll(async () => {
    pqt = await train({ num_episodes: 60 }, { type: 'pqt', pg_hidden_dim: 32, pg_batch_episodes: 4 });
  }, 120_000);

  it('writes no value panels, and a policy row every 5 episodes', () => {
    expect(of('td_errors', pqt)).toEqual([]);
    expect(of('q_return', pqt)).toEqual([]);
    expect(of('policy', pqt).map((s) => s.episode)).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]);
  });

  it("gives each step position's mean entropy and chosen-token probability, over every decision of the window", () => {
    for (const s of of('policy', pqt)) {
      const { entropy, probability, decisions, probability_quantiles } = s.data;
      expect(entropy.length).toBe(decisions.length);
      expect(probability.length).toBe(decisions.length);
      // Every episode makes a first decision; later positions are reached by fewer episodes.
      expect(decisions[0]).toBeGreaterThanOrEqual(5);
      for (let i = 1; i < decisions.length; i++) expect(decisions[i]).toBeLessThanOrEqual(decisions[i - 1]!);
      for (const h of entropy) expect(h).toBeGreaterThanOrEqual(0);
      for (const p of probability) expect(p > 0 && p <= 1).toBe(true);
      expect([...probability_quantiles]).toEqual([...probability_quantiles].sort((a, b) => a - b));
    }
  });

  it('shows the queue of best programs per problem as code, best first, written when it changed', () => {
    const queues = of('queue', pqt);
    expect(queues.length).toBeGreaterThan(0);
    const seen = new Map<string, string>();
    for (const q of queues) {
      expect(q.data.programs.length).toBeLessThanOrEqual(10);
      for (const p of q.data.programs) {
        expect(p.code).toMatch(/^def \w+\(/);
        expect(p.score).toBeGreaterThan(0);
        // Scored above 0: it passed a test, and the run's memory knows which.
        expect(p.tests_passed).toBeGreaterThan(0);
        expect(p.tests_passed).toBeLessThanOrEqual(p.tests_total!);
      }
      const scores = q.data.programs.map((p) => p.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      const key = JSON.stringify(q.data.programs);
      expect(seen.get(q.problem!)).not.toBe(key);
      seen.set(q.problem!, key);
    }
  });
});
