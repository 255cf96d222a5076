import { z } from 'zod';
import type { BrowsedEpisode, EpisodeFilter, ProgramVersion } from '#shared/api/episodes-api.ts';
import type { LabDatabase } from './database.ts';

const EXPLORE_SHARE = '(SELECT avg(s.explored) FROM steps s WHERE s.episode_id = e.id)';
const ORDER: Record<EpisodeFilter['order'], string> = {
  newest: 'e.episode DESC, e.id DESC',
  oldest: 'e.episode, e.id',
  highest_return: 'e.total_return DESC, e.episode',
  lowest_return: 'e.total_return, e.episode',
};

/** The WHERE clause of a filter, with its parameters (every value bound, never spliced in). */
function where(filter: EpisodeFilter): { sql: string; args: (string | number)[] } {
  const parts = ['e.experiment_id = ?'];
  const args: (string | number)[] = [filter.experiment_id];
  const add = (sql: string, value: string | number | undefined) => {
    if (value === undefined) return;
    parts.push(sql);
    args.push(value);
  };
  add('e.problem_name = ?', filter.problem);
  add('e.kind = ?', filter.kind);
  add('e.success = ?', filter.success === undefined ? undefined : filter.success ? 1 : 0);
  add('e.total_return >= ?', filter.return_min);
  add('e.total_return <= ?', filter.return_max);
  add(`${EXPLORE_SHARE} >= ?`, filter.explore_min);
  add(`${EXPLORE_SHARE} <= ?`, filter.explore_max);
  add('e.episode >= ?', filter.episode_min);
  add('e.episode <= ?', filter.episode_max);
  return { sql: parts.join(' AND '), args };
}

/** A page of a run's episodes under a filter, and how many match in all. */
export function browseEpisodes(db: LabDatabase, filter: EpisodeFilter): { total: number; items: BrowsedEpisode[]; problems: string[] } {
  const { sql, args } = where(filter);
  const { total } = db.prepare(`SELECT count(*) AS total FROM episodes e WHERE ${sql}`).get(...args) as { total: number };
  const rows = db
    .prepare(
      `SELECT e.id, e.experiment_id, e.episode, e.problem_name, e.kind, e.total_return, e.length, e.success, e.tests_passed, e.tests_total,
         (SELECT count(*) FROM steps s WHERE s.episode_id = e.id) AS steps, ${EXPLORE_SHARE} AS explore_share
       FROM episodes e WHERE ${sql} ORDER BY ${ORDER[filter.order]} LIMIT ? OFFSET ?`,
    )
    .all(...args, filter.limit, filter.offset) as (Omit<BrowsedEpisode, 'success'> & { success: number })[];
  const problems = db.prepare('SELECT DISTINCT problem_name FROM episodes WHERE experiment_id = ? ORDER BY problem_name').pluck().all(filter.experiment_id) as string[];
  return { total, items: rows.map((r) => ({ ...r, success: r.success === 1 })), problems };
}

const verdictNames = z.array(z.union([z.string(), z.object({ verdict: z.string() }).transform((v) => v.verdict)]));

/** A problem's greedy program at each evaluation of a run, oldest first, with the checkpoints taken there. */
export function programVersions(db: LabDatabase, experimentId: number, problem: string): ProgramVersion[] {
  const rows = db
    .prepare(
      `SELECT e.id AS episode_id, e.episode, e.code, e.success, e.tests_passed, e.tests_total, e.verdicts,
         (SELECT group_concat(c.kind) FROM checkpoints c WHERE c.experiment_id = e.experiment_id AND c.episode = e.episode) AS kinds
       FROM episodes e WHERE e.experiment_id = ? AND e.problem_name = ? AND e.kind = 'greedy' ORDER BY e.episode`,
    )
    .all(experimentId, problem) as { episode_id: number; episode: number; code: string; success: number; tests_passed: number; tests_total: number; verdicts: string; kinds: string | null }[];
  return rows.map(({ verdicts, kinds, success, ...row }) => {
    const parsed = verdictNames.safeParse(JSON.parse(verdicts));
    return {
      ...row,
      experiment_id: experimentId,
      success: success === 1,
      verdicts: parsed.success ? parsed.data : [],
      checkpoints: [...new Set((kinds ?? '').split(',').filter(Boolean))] as ProgramVersion['checkpoints'],
    };
  });
}
