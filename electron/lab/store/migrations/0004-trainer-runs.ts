import type { Migration } from './migration.ts';

/**
 * What crash recovery and steering need: the trainer's pid (a run marked running whose process is
 * gone was killed, and is marked interrupted), and interventions (epsilon or learning-rate changes
 * made while a run trains, drawn as marks on its charts).
 */
export const trainerRunsMigration: Migration = {
  version: 4,
  name: 'trainer pid and interventions',
  up(db) {
    db.exec(`
      ALTER TABLE experiments ADD COLUMN trainer_pid INTEGER;
      ALTER TABLE experiments ADD COLUMN env_steps INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE experiments ADD COLUMN samples_executed INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE interventions (
        id INTEGER PRIMARY KEY,
        experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        episode INTEGER NOT NULL,
        step INTEGER NOT NULL,
        wall_time REAL NOT NULL,
        kind TEXT NOT NULL,   -- e.g. set_epsilon, set_learning_rate, pause, resume
        value REAL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX interventions_by_experiment ON interventions(experiment_id, step);
    `);
  },
};
