import type { Migration } from './migration.ts';

export const problemSetsMigration: Migration = {
  version: 1,
  name: 'problem sets and problems',
  up(db) {
    db.exec(`
      CREATE TABLE problem_sets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
        description TEXT NOT NULL DEFAULT '',
        source_files TEXT NOT NULL DEFAULT '[]',  -- JSON array of the imported file names
        bundled INTEGER NOT NULL DEFAULT 0 CHECK (bundled IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE problems (
        id INTEGER PRIMARY KEY,
        set_id INTEGER NOT NULL REFERENCES problem_sets(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        function_name TEXT NOT NULL,
        docstring TEXT NOT NULL,
        test_count INTEGER NOT NULL,
        body TEXT NOT NULL,  -- the whole problem as canonical JSON (shared/problems/problem.ts)
        UNIQUE (set_id, name),
        UNIQUE (set_id, position)
      );
    `);
  },
};
