import type { Problem, ProblemSet } from '#shared/problems/problem.ts';
import { nowIso, type LabDatabase } from './database.ts';
import { listProblems, saveProblemSet } from './problem-sets.ts';

/** A problem's stored JSON as written (unknown fields kept), for the editor. */
export function readProblemJson(db: LabDatabase, setId: number, index: number): Record<string, unknown> | undefined {
  const row = db.prepare('SELECT body FROM problems WHERE set_id = ? AND position = ?').get(setId, index) as { body: string } | undefined;
  return row && (JSON.parse(row.body) as Record<string, unknown>);
}

/** Replaces the problem at `index`, or appends it when index is null; returns its index. */
export function saveProblem(db: LabDatabase, setId: number, index: number | null, problem: Problem): number {
  const tests = problem.test_cases.length + (problem.assert_tests?.length ?? 0);
  const name = problem.name ?? problem.function_name;
  return db.transaction((): number => {
    let position = index;
    if (position === null) {
      const { next } = db.prepare('SELECT coalesce(max(position) + 1, 0) AS next FROM problems WHERE set_id = ?').get(setId) as { next: number };
      position = next;
      db.prepare('INSERT INTO problems (set_id, position, name, function_name, docstring, test_count, body) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        setId, position, name, problem.function_name, problem.docstring, tests, JSON.stringify(problem),
      );
    } else {
      const changed = db
        .prepare('UPDATE problems SET name = ?, function_name = ?, docstring = ?, test_count = ?, body = ? WHERE set_id = ? AND position = ?')
        .run(name, problem.function_name, problem.docstring, tests, JSON.stringify(problem), setId, position).changes;
      if (changed !== 1) throw new Error(`no problem at position ${position} in set ${setId}`);
    }
    db.prepare('UPDATE problem_sets SET updated_at = ? WHERE id = ?').run(nowIso(), setId);
    return position;
  })();
}

/** Removes a problem and closes the gap, so positions stay 0..n-1. */
export function deleteProblem(db: LabDatabase, setId: number, index: number): boolean {
  return db.transaction((): boolean => {
    const removed = db.prepare('DELETE FROM problems WHERE set_id = ? AND position = ?').run(setId, index).changes === 1;
    if (removed) {
      // Two moves so the UNIQUE (set_id, position) constraint never sees two rows at one position.
      db.prepare('UPDATE problems SET position = -position WHERE set_id = ? AND position > ?').run(setId, index);
      db.prepare('UPDATE problems SET position = -position - 1 WHERE set_id = ? AND position < 0').run(setId);
    }
    return removed;
  })();
}

/** A copy of a set under a new name (never bundled: the user's own to edit). */
export function duplicateProblemSet(db: LabDatabase, set: ProblemSet, name: string): number {
  return saveProblemSet(db, { name, description: set.description, sourceFiles: set.source_files, problems: listProblems(db, set.id) });
}
