import type { Migration } from './migration.ts';

/**
 * The problems an experiment trains on, copied when it first runs. Per-problem state (the search,
 * the trie of programs tried, which problems the greedy policy solves) is kept by position, so a
 * run must see the same problems in the same order for its whole life, whatever happens to the
 * set afterwards. Older runs get their copy when they next start, after a check against the
 * problems their stored episodes name.
 */
export const experimentProblemsMigration: Migration = {
  version: 5,
  name: 'experiment problem snapshots',
  up(db) {
    db.exec(`
      CREATE TABLE experiment_problems (
        experiment_id INTEGER PRIMARY KEY REFERENCES experiments(id) ON DELETE CASCADE,
        problems TEXT NOT NULL,  -- JSON array of problems, in the set's order when the run started
        created_at TEXT NOT NULL
      );
    `);
  },
};
