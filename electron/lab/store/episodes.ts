import { z } from 'zod';
import type { EpisodeSummary } from '#shared/api/episodes-api.ts';
import type { SolvedCell } from '#shared/api/compare-api.ts';
import type { LabDatabase } from './database.ts';

/** A stored step, its JSON columns parsed at this boundary. */
export interface StoredStep {
  t: number;
  action: number;
  token: string;
  valid_actions: number;
  top_q: [number, number][];
  explored: boolean;
  reward: number;
  reward_parts: Record<string, number>;
}

export interface StoredEpisode extends EpisodeSummary {
  code: string;
  verdicts: string[];
}

const topQSchema = z.array(z.tuple([z.number(), z.number()]));
const partsSchema = z.record(z.string(), z.number());
/** Verdicts are stored as names, or as objects with a verdict field by older writers. */
const verdictsSchema = z.array(z.union([z.string(), z.object({ verdict: z.string() }).transform((v) => v.verdict)]));

const SUMMARY = `e.id, e.experiment_id, e.episode, e.problem_name, e.kind, e.total_return, e.length, e.success, e.tests_passed, e.tests_total,
  (SELECT count(*) FROM steps s WHERE s.episode_id = e.id) AS steps`;

type SummaryRow = Omit<EpisodeSummary, 'success'> & { success: number };
const toSummary = (row: SummaryRow): EpisodeSummary => ({ ...row, success: row.success === 1 });

function parseJson<T>(text: string, schema: z.ZodType<T>, what: string): T {
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`stored ${what} is invalid: ${parsed.error.issues[0]?.message ?? 'unreadable'}`);
  return parsed.data;
}

export function listEpisodes(db: LabDatabase, experimentId: number, limit: number, offset: number, onlyWithSteps: boolean): { total: number; items: EpisodeSummary[] } {
  const filter = onlyWithSteps ? 'AND EXISTS (SELECT 1 FROM steps s WHERE s.episode_id = e.id)' : '';
  const { total } = db.prepare(`SELECT count(*) AS total FROM episodes e WHERE e.experiment_id = ? ${filter}`).get(experimentId) as { total: number };
  const rows = db
    .prepare(`SELECT ${SUMMARY} FROM episodes e WHERE e.experiment_id = ? ${filter} ORDER BY e.episode DESC, e.id DESC LIMIT ? OFFSET ?`)
    .all(experimentId, limit, offset) as SummaryRow[];
  return { total, items: rows.map(toSummary) };
}

export type EpisodePick = 'best' | 'latest' | 'first_success' | 'number';

/** The dashboard's shortcuts; episodes with stored steps are preferred where several qualify. */
export function findEpisode(db: LabDatabase, experimentId: number, pick: EpisodePick, episode?: number): EpisodeSummary | undefined {
  const hasSteps = 'EXISTS (SELECT 1 FROM steps s WHERE s.episode_id = e.id) DESC';
  const order: Record<EpisodePick, string> = {
    best: `${hasSteps}, e.total_return DESC, e.episode`,
    latest: `e.episode DESC, ${hasSteps}, e.id DESC`,
    first_success: `e.episode, ${hasSteps}, e.id`,
    number: `${hasSteps}, e.id`,
  };
  const where = pick === 'first_success' ? 'AND e.success = 1' : pick === 'number' ? 'AND e.episode = ?' : '';
  const row = db
    .prepare(`SELECT ${SUMMARY} FROM episodes e WHERE e.experiment_id = ? ${where} ORDER BY ${order[pick]} LIMIT 1`)
    .get(...(pick === 'number' ? [experimentId, episode ?? 0] : [experimentId])) as SummaryRow | undefined;
  return row && toSummary(row);
}

export function getEpisode(db: LabDatabase, experimentId: number, episodeId: number): StoredEpisode | undefined {
  const row = db.prepare(`SELECT ${SUMMARY}, e.code, e.verdicts FROM episodes e WHERE e.experiment_id = ? AND e.id = ?`).get(experimentId, episodeId) as
    | (SummaryRow & { code: string; verdicts: string })
    | undefined;
  if (!row) return undefined;
  const { code, verdicts, ...summary } = row;
  return { ...toSummary(summary), code, verdicts: parseJson(verdicts, verdictsSchema, `verdicts of episode ${episodeId}`) };
}

export function episodeSteps(db: LabDatabase, episodeId: number): StoredStep[] {
  const rows = db
    .prepare('SELECT t, action, token, valid_actions, top_q, explored, reward, reward_parts FROM steps WHERE episode_id = ? ORDER BY t')
    .all(episodeId) as (Omit<StoredStep, 'top_q' | 'explored' | 'reward_parts'> & { top_q: string; explored: number; reward_parts: string })[];
  return rows.map((r) => ({
    ...r,
    top_q: parseJson(r.top_q, topQSchema, `top_q of step ${r.t}`) as [number, number][],
    explored: r.explored === 1,
    reward_parts: parseJson(r.reward_parts, partsSchema, `reward_parts of step ${r.t}`),
  }));
}

/** Problem x run: attempts, successes, the first success and the best attempt, for replay links. */
export function solvedCells(db: LabDatabase, experimentIds: readonly number[]): SolvedCell[] {
  const query = db.prepare(
    `SELECT problem_name AS problem, count(*) AS attempts, sum(success) AS successes,
       (SELECT id FROM episodes f WHERE f.experiment_id = e.experiment_id AND f.problem_name = e.problem_name AND f.success = 1 ORDER BY f.episode, f.id LIMIT 1) AS first_success_id,
       (SELECT episode FROM episodes f WHERE f.experiment_id = e.experiment_id AND f.problem_name = e.problem_name AND f.success = 1 ORDER BY f.episode, f.id LIMIT 1) AS first_success_episode,
       (SELECT id FROM episodes f WHERE f.experiment_id = e.experiment_id AND f.problem_name = e.problem_name ORDER BY f.tests_passed DESC, f.total_return DESC, f.id LIMIT 1) AS best_id,
       max(tests_passed) AS best_tests_passed, max(tests_total) AS tests_total
     FROM episodes e WHERE experiment_id = ? GROUP BY problem_name ORDER BY problem_name`,
  );
  return experimentIds.flatMap((id) => (query.all(id) as Omit<SolvedCell, 'experiment_id'>[]).map((cell) => ({ experiment_id: id, ...cell })));
}
