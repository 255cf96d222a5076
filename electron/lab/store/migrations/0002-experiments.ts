import type { Migration } from './migration.ts';

/**
 * Experiments and everything a run writes. Metrics and steps are keyed WITHOUT ROWID on their
 * natural keys: they are the bulk of the database and are always read by experiment (or episode)
 * in step order.
 */
export const experimentsMigration: Migration = {
  version: 2,
  name: 'experiments, metrics, episodes, steps, evaluations, checkpoints',
  up(db) {
    db.exec(`
      CREATE TABLE experiments (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        agent TEXT NOT NULL,
        problem_set_id INTEGER REFERENCES problem_sets(id) ON DELETE SET NULL,
        problem_set_name TEXT NOT NULL,
        config TEXT NOT NULL,  -- JSON of the training config as it ran
        status TEXT NOT NULL CHECK (status IN ('created', 'running', 'paused', 'done', 'stopped', 'interrupted', 'failed')),
        backend TEXT,
        seed INTEGER,
        tags TEXT NOT NULL DEFAULT '[]',
        notes TEXT NOT NULL DEFAULT '',
        parent_id INTEGER REFERENCES experiments(id) ON DELETE SET NULL,
        episodes_done INTEGER NOT NULL DEFAULT 0,
        episodes_total INTEGER NOT NULL DEFAULT 0,
        best_success_rate REAL,
        error TEXT,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX experiments_by_status ON experiments(status);

      CREATE TABLE metrics (
        experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        name TEXT NOT NULL,   -- slash-named, e.g. charts/episodic_return
        step INTEGER NOT NULL,  -- environment steps so far
        episode INTEGER NOT NULL,
        wall_time REAL NOT NULL,  -- seconds since the run started
        value REAL NOT NULL,
        PRIMARY KEY (experiment_id, name, step)
      ) WITHOUT ROWID;

      CREATE TABLE episodes (
        id INTEGER PRIMARY KEY,
        experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        episode INTEGER NOT NULL,
        problem_name TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'train' CHECK (kind IN ('train', 'greedy', 'eval', 'solve')),
        total_return REAL NOT NULL,
        length INTEGER NOT NULL,
        success INTEGER NOT NULL CHECK (success IN (0, 1)),
        code TEXT NOT NULL,
        tests_passed INTEGER NOT NULL,
        tests_total INTEGER NOT NULL,
        verdicts TEXT NOT NULL DEFAULT '[]',  -- JSON per-test verdicts
        created_at TEXT NOT NULL,
        UNIQUE (experiment_id, kind, episode, problem_name)
      );

      CREATE TABLE steps (
        episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
        t INTEGER NOT NULL,
        action INTEGER NOT NULL,
        token TEXT NOT NULL,
        valid_actions INTEGER NOT NULL,
        top_q TEXT NOT NULL DEFAULT '[]',  -- JSON [[action, q], ...]
        explored INTEGER NOT NULL CHECK (explored IN (0, 1)),
        reward REAL NOT NULL,
        reward_parts TEXT NOT NULL DEFAULT '{}',  -- JSON {correctness: ..., quality: ...}
        PRIMARY KEY (episode_id, t)
      ) WITHOUT ROWID;

      CREATE TABLE checkpoints (
        id INTEGER PRIMARY KEY,
        experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        episode INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('periodic', 'best', 'final')),
        path TEXT NOT NULL,
        metric REAL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX checkpoints_by_experiment ON checkpoints(experiment_id, episode);

      CREATE TABLE evaluations (
        id INTEGER PRIMARY KEY,
        experiment_id INTEGER REFERENCES experiments(id) ON DELETE CASCADE,
        checkpoint_id INTEGER REFERENCES checkpoints(id) ON DELETE SET NULL,
        problem_set_name TEXT NOT NULL,
        agent TEXT NOT NULL,
        num_episodes INTEGER NOT NULL,
        success_rate REAL NOT NULL,
        results TEXT NOT NULL,  -- JSON per problem: success rate, best code
        created_at TEXT NOT NULL
      );
    `);
  },
};
