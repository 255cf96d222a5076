import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations/index.ts';
import type { Migration } from './migrations/migration.ts';

export type LabDatabase = Database.Database;

/**
 * Opens (creating when needed) the lab's database: WAL so readers never wait on the trainer's
 * writes, foreign keys on, a busy timeout for the moments two processes write, then every pending
 * migration, each in its own transaction together with its user_version bump.
 */
export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS): LabDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    migrate(db, migrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

export function schemaVersion(db: LabDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: LabDatabase, migrations: readonly Migration[] = MIGRATIONS): void {
  const newest = migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > newest) {
    throw new Error(`the database was written by a newer RL Code Lab (schema ${current}, this one knows ${newest})`);
  }
  for (const migration of migrations) {
    if (migration.version <= schemaVersion(db)) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}

/** ISO time for the store's TEXT time columns. */
export function nowIso(): string {
  return new Date().toISOString();
}
