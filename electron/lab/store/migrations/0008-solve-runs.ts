import type { Migration } from './migration.ts';

/**
 * Solve runs: agents compared on a problem set, each searching every problem until a program passes
 * or the budget is spent. A result row is written the moment it is known, so a killed run keeps
 * everything it found; `solver_pid` tells a live run from one whose process died. A run's dqn agent
 * may start from a trained experiment's network.
 */
export const solveRunsMigration: Migration = {
  version: 8,
  name: 'solve runs and their results',
  up(db) {
    db.exec(`
      CREATE TABLE solve_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: events name runs by id
        problem_set_id INTEGER REFERENCES problem_sets(id) ON DELETE SET NULL,
        problem_set TEXT NOT NULL,  -- the set's name when the run started
        task_first INTEGER,
        task_last INTEGER,
        agents TEXT NOT NULL,    -- JSON array, in run order
        problems TEXT NOT NULL,  -- JSON array of problem names, in set order
        budget INTEGER NOT NULL,
        seed INTEGER NOT NULL,
        -- The trained DQN experiment the dqn agent starts from (null once deleted), and its name.
        start_experiment_id INTEGER REFERENCES experiments(id) ON DELETE SET NULL,
        start_experiment_name TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'stopped', 'interrupted')),
        error TEXT,
        solver_pid INTEGER,
        created_at TEXT NOT NULL,
        finished_at TEXT
      );
      CREATE TABLE solve_results (
        solve_id INTEGER NOT NULL REFERENCES solve_runs(id) ON DELETE CASCADE,
        agent TEXT NOT NULL,
        problem_index INTEGER NOT NULL,
        problem TEXT NOT NULL,
        solved INTEGER NOT NULL CHECK (solved IN (0, 1)),
        samples_executed INTEGER NOT NULL,
        episodes INTEGER NOT NULL,
        seconds REAL NOT NULL,
        program TEXT,
        PRIMARY KEY (solve_id, agent, problem_index)
      );
    `);
  },
};
