import type { Migration } from './migration.ts';

/**
 * What the trainer samples about its agent (the dashboard's diagnostics panels): one row per
 * sample, its kind naming the shape of its JSON data (see electron/lab/diagnostics).
 */
export const diagnosticsMigration: Migration = {
  version: 6,
  name: 'agent diagnostics',
  up(db) {
    db.exec(`
      CREATE TABLE diagnostics (
        id INTEGER PRIMARY KEY,
        experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,      -- q_return, td_errors, buffer, tokens
        episode INTEGER NOT NULL,
        step INTEGER NOT NULL,
        problem TEXT,            -- for samples about one problem
        data TEXT NOT NULL       -- JSON
      );
      CREATE INDEX diagnostics_by_experiment ON diagnostics(experiment_id, kind, episode);
    `);
  },
};
