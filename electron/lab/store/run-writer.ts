import { nowIso, type LabDatabase } from './database.ts';

/** One step of a stored episode: what replay shows token by token. */
export interface StepRecord {
  t: number;
  action: number;
  token: string;
  validActions: number;
  /** The highest Q-values at this step, [action, q], best first. */
  topQ: [number, number][];
  explored: boolean;
  reward: number;
  rewardParts: Record<string, number>;
}

export interface EpisodeRecord {
  episode: number;
  problemName: string;
  kind: 'train' | 'greedy' | 'eval' | 'solve';
  totalReturn: number;
  length: number;
  success: boolean;
  code: string;
  testsPassed: number;
  testsTotal: number;
  verdicts: unknown[];
  /** Present for sampled episodes only: every step, for replay. */
  steps?: StepRecord[];
}

/** A diagnostics sample (see electron/lab/diagnostics): its kind names the shape of `data`. */
export interface DiagnosticRow {
  kind: string;
  episode: number;
  step: number;
  problem: string | null;
  data: unknown;
}

interface MetricRow {
  name: string;
  step: number;
  episode: number;
  wallTime: number;
  value: number;
}

/**
 * Everything a run writes, batched: rows wait in memory and go to SQLite in one transaction per
 * flush, so the trainer spends its time training, and a kill loses at most the unflushed batch
 * (never leaves half of one). The trainer flushes before every checkpoint, so what a checkpoint
 * says happened is always in the database.
 */
export class RunWriter {
  private metrics: MetricRow[] = [];
  private episodes: EpisodeRecord[] = [];
  private diagnostics: DiagnosticRow[] = [];
  /** Rows waiting: metrics, diagnostics, episodes and their steps (kept as a count: summing on every push was quadratic). */
  private waiting = 0;
  private readonly insertMetric;
  private readonly insertDiagnostic;
  private readonly insertEpisode;
  private readonly insertStep;

  constructor(
    private readonly db: LabDatabase,
    readonly experimentId: number,
    private readonly flushAtRows = 2000,
  ) {
    this.insertMetric = db.prepare(
      'INSERT OR REPLACE INTO metrics (experiment_id, name, step, episode, wall_time, value) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertEpisode = db.prepare(
      `INSERT OR REPLACE INTO episodes (experiment_id, episode, problem_name, kind, total_return, length, success, code,
         tests_passed, tests_total, verdicts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertDiagnostic = db.prepare('INSERT INTO diagnostics (experiment_id, kind, episode, step, problem, data) VALUES (?, ?, ?, ?, ?, ?)');
    this.insertStep = db.prepare(
      `INSERT INTO steps (episode_id, t, action, token, valid_actions, top_q, explored, reward, reward_parts)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  metric(name: string, step: number, episode: number, wallTime: number, value: number): void {
    if (!Number.isFinite(value)) return; // SQLite REAL cannot hold NaN; a missing point says more
    this.metrics.push({ name, step, episode, wallTime, value });
    this.added(1);
  }

  episode(record: EpisodeRecord): void {
    this.episodes.push(record);
    this.added(1 + (record.steps?.length ?? 0));
  }

  diagnostic(row: DiagnosticRow): void {
    this.diagnostics.push(row);
    this.added(1);
  }

  private added(rows: number): void {
    this.waiting += rows;
    if (this.waiting >= this.flushAtRows) this.flush();
  }

  flush(): void {
    if (this.metrics.length === 0 && this.episodes.length === 0 && this.diagnostics.length === 0) return;
    const metrics = this.metrics;
    const episodes = this.episodes;
    const diagnostics = this.diagnostics;
    this.metrics = [];
    this.episodes = [];
    this.diagnostics = [];
    this.waiting = 0;
    const now = nowIso();
    this.db.transaction(() => {
      for (const m of metrics) this.insertMetric.run(this.experimentId, m.name, m.step, m.episode, m.wallTime, m.value);
      for (const d of diagnostics) this.insertDiagnostic.run(this.experimentId, d.kind, d.episode, d.step, d.problem, JSON.stringify(d.data));
      for (const e of episodes) {
        const { lastInsertRowid } = this.insertEpisode.run(
          this.experimentId, e.episode, e.problemName, e.kind, e.totalReturn, e.length, e.success ? 1 : 0, e.code,
          e.testsPassed, e.testsTotal, JSON.stringify(e.verdicts), now,
        );
        for (const s of e.steps ?? []) {
          this.insertStep.run(
            lastInsertRowid, s.t, s.action, s.token, s.validActions, JSON.stringify(s.topQ), s.explored ? 1 : 0, s.reward,
            JSON.stringify(s.rewardParts),
          );
        }
      }
    })();
  }

  intervention(episode: number, step: number, wallTime: number, kind: string, value: number | null): void {
    this.flush();
    this.db
      .prepare('INSERT INTO interventions (experiment_id, episode, step, wall_time, kind, value, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(this.experimentId, episode, step, wallTime, kind, value, nowIso());
  }
}

/**
 * Before a run resumes from the checkpoint taken after `episode`, what was written after it goes:
 * the resumed run writes those episodes again, exactly as if it had never stopped.
 */
export function truncateRunAfter(db: LabDatabase, experimentId: number, episode: number): void {
  db.transaction(() => {
    db.prepare('DELETE FROM metrics WHERE experiment_id = ? AND episode > ?').run(experimentId, episode);
    db.prepare("DELETE FROM episodes WHERE experiment_id = ? AND kind IN ('train', 'greedy') AND episode > ?").run(experimentId, episode);
    db.prepare('DELETE FROM interventions WHERE experiment_id = ? AND episode > ?').run(experimentId, episode);
    db.prepare('DELETE FROM diagnostics WHERE experiment_id = ? AND episode > ?').run(experimentId, episode);
  })();
}
