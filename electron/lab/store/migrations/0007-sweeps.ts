import type { Migration } from './migration.ts';

/**
 * Sweeps run by workers on other hosts. A sweep's runs are experiment rows; `sweep_runs` adds the
 * queue's job id and the attempt in charge. Each pickup by a worker is a numbered attempt with its
 * own token (stored hashed); only the newest attempt of a run may write. What a worker sends is
 * stored once: `run_batches` is keyed by (run, attempt, seq), so a resent batch changes nothing.
 */
export const sweepsMigration: Migration = {
  version: 7,
  name: 'sweeps, attempts, worker tokens',
  up(db) {
    db.exec(`
      CREATE TABLE sweeps (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        method TEXT NOT NULL CHECK (method IN ('grid', 'random')),
        spec TEXT NOT NULL,  -- JSON of the sweep as submitted (base config inlined)
        stopped INTEGER NOT NULL DEFAULT 0 CHECK (stopped IN (0, 1)),
        created_at TEXT NOT NULL
      );
      CREATE TABLE sweep_runs (
        experiment_id INTEGER PRIMARY KEY REFERENCES experiments(id) ON DELETE CASCADE,
        sweep_id INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
        job_id TEXT NOT NULL UNIQUE,
        params TEXT NOT NULL,  -- JSON {dotted key: value}
        attempt INTEGER NOT NULL DEFAULT 0,  -- the attempt allowed to write; 0 before the first pickup
        worker_host TEXT
      );
      CREATE INDEX sweep_runs_by_sweep ON sweep_runs(sweep_id);
      CREATE TABLE worker_tokens (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,  -- sha256 hex; the token itself is shown once
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );
      CREATE TABLE run_attempts (
        experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        worker_token_id INTEGER NOT NULL REFERENCES worker_tokens(id),
        worker_host TEXT NOT NULL,
        resumed_from INTEGER,  -- checkpoint episode, NULL for a fresh start
        started_at TEXT NOT NULL,
        ended_at TEXT,
        outcome TEXT,  -- done, failed, stopped, superseded
        PRIMARY KEY (experiment_id, attempt)
      );
      CREATE TABLE run_batches (
        experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('metrics', 'checkpoint', 'finish')),
        points INTEGER NOT NULL DEFAULT 0,
        emitted_at REAL NOT NULL,  -- ms since the epoch on the worker, when the trainer reported it
        stored_at REAL NOT NULL,   -- ms since the epoch on the lab
        PRIMARY KEY (experiment_id, attempt, seq)
      ) WITHOUT ROWID;
    `);
  },
};
