import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase, schemaVersion } from './database.ts';
import { MIGRATIONS } from './migrations/index.ts';
import type { Migration } from './migrations/migration.ts';

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'lab-db-')), 'lab.sqlite');

describe('openDatabase', () => {
  it('creates the file with WAL, foreign keys and every migration applied', () => {
    const db = openDatabase(tempDb());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    db.close();
  });

  it('numbers migrations 1, 2, 3... with no gap', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('runs only the migrations a database has not had', () => {
    const path = tempDb();
    openDatabase(path, MIGRATIONS.slice(0, 1)).close();
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it('rolls a failing migration back whole, leaving the version where it was', () => {
    const path = tempDb();
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken',
      up(db) {
        db.exec('CREATE TABLE half_done (x INTEGER)');
        throw new Error('boom');
      },
    };
    expect(() => openDatabase(path, [...MIGRATIONS, broken])).toThrow('boom');
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    db.close();
  });

  it('refuses a database written by a newer version', () => {
    const path = tempDb();
    const db = openDatabase(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openDatabase(path)).toThrow('schema 99');
  });
});

describe('migrations', () => {
  const tablesAfter = (version: number) => {
    const db = openDatabase(':memory:', MIGRATIONS.filter((m) => m.version <= version));
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    db.close();
    return names;
  };

  it('0001 creates problem sets and problems', () => {
    expect(tablesAfter(1)).toEqual(['problem_sets', 'problems']);
  });

  it('0002 adds experiments and what runs write', () => {
    expect(tablesAfter(2)).toEqual(['checkpoints', 'episodes', 'evaluations', 'experiments', 'metrics', 'problem_sets', 'problems', 'steps']);
  });

  it('0003 adds settings', () => {
    expect(tablesAfter(3)).toContain('settings');
  });

  it('0004 adds interventions and the trainer pid', () => {
    expect(tablesAfter(4)).toContain('interventions');
    const db = openDatabase(':memory:');
    const columns = (db.prepare('PRAGMA table_info(experiments)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(['trainer_pid', 'env_steps', 'samples_executed']));
    db.close();
  });

  it('0007 adds sweeps, their runs, attempts, worker tokens and run batches keyed by (run, attempt, seq)', () => {
    expect(tablesAfter(7)).toEqual(expect.arrayContaining(['sweeps', 'sweep_runs', 'run_attempts', 'worker_tokens', 'run_batches']));
    const db = openDatabase(':memory:');
    const now = new Date().toISOString();
    db.prepare(`INSERT INTO experiments (id, name, agent, problem_set_name, config, status, created_at, updated_at)
      VALUES (1, 'e', 'dqn', 's', '{}', 'running', ?, ?)`).run(now, now);
    const batch = db.prepare("INSERT INTO run_batches (experiment_id, attempt, seq, kind, emitted_at, stored_at) VALUES (1, 1, 1, 'metrics', 0, 0)");
    batch.run();
    expect(() => batch.run()).toThrow(/UNIQUE/);
    db.close();
  });

  it('0008 adds solve runs and their results, one result per (run, agent, problem)', () => {
    expect(tablesAfter(8)).toEqual(expect.arrayContaining(['solve_runs', 'solve_results']));
    const db = openDatabase(':memory:');
    db.prepare(`INSERT INTO solve_runs (id, problem_set, agents, problems, budget, seed, status, created_at)
      VALUES (1, 's', '["random"]', '["f"]', 10, 1, 'running', '2025-01-01')`).run();
    const result = db.prepare(`INSERT INTO solve_results (solve_id, agent, problem_index, problem, solved, samples_executed, episodes, seconds)
      VALUES (1, 'random', 0, 'f', 0, 10, 10, 0.5)`);
    result.run();
    expect(() => result.run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("UPDATE solve_runs SET status = 'paused' WHERE id = 1").run()).toThrow(/CHECK/);
    db.close();
  });

  it('0002 cascades an experiment delete to its metrics, episodes and steps', () => {
    const db = openDatabase(':memory:');
    const now = new Date().toISOString();
    db.prepare(`INSERT INTO experiments (id, name, agent, problem_set_name, config, status, created_at, updated_at)
      VALUES (1, 'e', 'dqn', 's', '{}', 'running', ?, ?)`).run(now, now);
    db.prepare(`INSERT INTO metrics VALUES (1, 'charts/episodic_return', 10, 1, 0.5, 1.25)`).run();
    db.prepare(`INSERT INTO episodes (id, experiment_id, episode, problem_name, total_return, length, success, code, tests_passed, tests_total, created_at)
      VALUES (1, 1, 1, 'add', 1, 3, 1, 'return a + b', 6, 6, ?)`).run(now);
    db.prepare(`INSERT INTO steps (episode_id, t, action, token, valid_actions, explored, reward) VALUES (1, 0, 4, 'return', 12, 1, 0)`).run();
    db.prepare('DELETE FROM experiments WHERE id = 1').run();
    for (const table of ['metrics', 'episodes', 'steps']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
    db.close();
  });
});
