import { z } from 'zod';
import { problemSchema, type Problem } from '#shared/problems/problem.ts';
import type { Experiment } from '#shared/experiments/experiment.ts';
import { nowIso, type LabDatabase } from './database.ts';
import { listProblems } from './problem-sets.ts';

/** A run cannot go on because its problem set no longer has the problems it trained on. */
export class ProblemsChangedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProblemsChangedError';
  }
}

const snapshotSchema = z.array(problemSchema);
const nameOf = (p: Problem) => p.name ?? p.function_name;

/** The experiment's own copy of its problems, if it has run since copies were kept. */
export function problemSnapshot(db: LabDatabase, experimentId: number): Problem[] | undefined {
  const row = db.prepare('SELECT problems FROM experiment_problems WHERE experiment_id = ?').get(experimentId) as { problems: string } | undefined;
  if (!row) return undefined;
  const parsed = snapshotSchema.safeParse(JSON.parse(row.problems));
  if (!parsed.success) throw new Error(`the stored problems of experiment ${experimentId} are invalid: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/**
 * The problems a run trains on: its copy when it has one; else the set as it is now, checked
 * against the problems its stored episodes name (a run that trained before copies were kept),
 * then copied, so later edits of the set never reach it.
 */
export function experimentProblems(db: LabDatabase, experiment: Experiment): Problem[] {
  const kept = problemSnapshot(db, experiment.id);
  if (kept) return kept;
  if (experiment.problem_set_id === null) throw new Error(`the problem set "${experiment.problem_set_name}" of experiment ${experiment.id} was deleted`);
  const problems = listProblems(db, experiment.problem_set_id);
  if (problems.length === 0) throw new Error(`the problem set "${experiment.problem_set_name}" is empty`);
  const trained = (db.prepare('SELECT DISTINCT problem_name FROM episodes WHERE experiment_id = ? ORDER BY problem_name').all(experiment.id) as { problem_name: string }[]).map((r) => r.problem_name);
  const now = new Set(problems.map(nameOf));
  const gone = trained.filter((name) => !now.has(name));
  if (gone.length) {
    throw new ProblemsChangedError(
      `the problem set "${experiment.problem_set_name}" changed after experiment ${experiment.id} trained on it: ` +
        `${gone.map((n) => `"${n}"`).join(', ')} ${gone.length === 1 ? 'is' : 'are'} no longer in it. Resuming would map the run's ` +
        'per-problem state onto other problems; clone the experiment to train on the set as it is now.',
    );
  }
  saveProblemSnapshot(db, experiment.id, problems);
  return problems;
}

export function saveProblemSnapshot(db: LabDatabase, experimentId: number, problems: readonly Problem[]): void {
  db.prepare('INSERT OR IGNORE INTO experiment_problems (experiment_id, problems, created_at) VALUES (?, ?, ?)').run(experimentId, JSON.stringify(problems), nowIso());
}

/** Experiments that keep their own copy of a set's problems: what an edit of the set leaves alone. */
export function experimentsUsingSet(db: LabDatabase, setId: number): { id: number; name: string }[] {
  return db.prepare('SELECT id, name FROM experiments WHERE problem_set_id = ? ORDER BY id').all(setId) as { id: number; name: string }[];
}
