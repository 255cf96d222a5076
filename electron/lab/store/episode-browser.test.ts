import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { installBundledSets } from '#lab/problems/bundled-sets.ts';
import { runTrainingLoop } from '#lab/training/training-loop.ts';
import { episodeFilterSchema, type EpisodeFilter } from '#shared/api/episodes-api.ts';
import { parseConfigObject } from '#shared/config/parse-config-yaml.ts';
import { openDatabase, type LabDatabase } from './database.ts';
import { browseEpisodes, programVersions } from './episode-browser.ts';
import { createExperiment, getExperiment } from './experiments.ts';
import { findProblemSet } from './problem-sets.ts';

let db: LabDatabase;
let id: number;
const filter = (f: Partial<EpisodeFilter> = {}) => episodeFilterSchema.parse({ experiment_id: id, limit: 500, ...f });
const all = () => db.prepare('SELECT * FROM episodes WHERE experiment_id = ?').all(id) as { id: number; problem_name: string; success: number; total_return: number; episode: number; kind: string }[];

beforeAll(async () => {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'lab-browse-')), 'lab.sqlite');
  db = openDatabase(dbPath);
  await installBundledSets(db);
  const set = findProblemSet(db, 'seed-train')!;
  const config = parseConfigObject({ agent: { type: 'random' }, training: { num_episodes: 40, save_frequency: 10, eval_frequency: 20, seed: 5, replay_every: 4, num_envs: 4 } }).config!;
  id = createExperiment(db, { name: 'random', agent: 'random', problemSetId: set.id, problemSetName: set.name, config: config as unknown as Record<string, unknown>, seed: 5, episodesTotal: 40 });
  const channel = { send: () => {}, onCommand: () => {}, onParentGone: () => {} };
  await runTrainingLoop({ db, dbPath, experiment: getExperiment(db, id)!, resume: false, channel });
}, 60_000);

describe('browseEpisodes', () => {
  it('lists every recorded episode, newest first, with the problems of the run', () => {
    const page = browseEpisodes(db, filter());
    expect(page.total).toBe(all().length);
    expect(page.items.map((e) => e.episode)).toEqual([...page.items.map((e) => e.episode)].sort((a, b) => b - a));
    expect(page.problems).toEqual([...new Set(all().map((e) => e.problem_name))].sort());
  });

  it('filters by problem, kind and success together', () => {
    const problem = all()[0]!.problem_name;
    const page = browseEpisodes(db, filter({ problem, kind: 'train', success: false }));
    expect(page.total).toBe(all().filter((e) => e.problem_name === problem && e.kind === 'train' && e.success === 0).length);
    expect(page.items.every((e) => e.problem_name === problem && e.kind === 'train' && !e.success)).toBe(true);
  });

  it('filters by return and episode range, and pages', () => {
    const expected = all().filter((e) => e.total_return >= -1 && e.episode >= 10 && e.episode <= 30);
    const first = browseEpisodes(db, filter({ return_min: -1, episode_min: 10, episode_max: 30, order: 'oldest', limit: 3 }));
    const second = browseEpisodes(db, filter({ return_min: -1, episode_min: 10, episode_max: 30, order: 'oldest', limit: 3, offset: 3 }));
    expect(first.total).toBe(expected.length);
    expect([...first.items, ...second.items].map((e) => e.id)).toEqual(expected.sort((a, b) => a.episode - b.episode || a.id - b.id).slice(0, 6).map((e) => e.id));
  });

  it('gives the explore share of episodes with steps, and drops the others when filtering on it', () => {
    const withShare = browseEpisodes(db, filter()).items.filter((e) => e.explore_share !== null);
    expect(withShare.length).toBeGreaterThan(0);
    expect(withShare.every((e) => e.steps > 0)).toBe(true);
    const explored = browseEpisodes(db, filter({ explore_min: 0.5 }));
    expect(explored.items.every((e) => e.explore_share !== null && e.explore_share >= 0.5)).toBe(true);
  });
});

describe('programVersions', () => {
  it('gives the greedy program of each evaluation, oldest first, with the checkpoints taken there', () => {
    const problem = all().find((e) => e.kind === 'greedy')!.problem_name;
    const versions = programVersions(db, id, problem);
    expect(versions.map((v) => v.episode)).toEqual([20, 40]);
    expect(versions[1]!.checkpoints).toContain('periodic');
    expect(versions[0]!.code).toMatch(/^def /);
    expect(versions[0]!.verdicts).toHaveLength(versions[0]!.tests_total);
  });
});
