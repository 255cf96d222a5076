import { problemSchema, type Problem, type ProblemSet } from '#shared/problems/problem.ts';
import { nowIso, type LabDatabase } from './database.ts';

export class ProblemSetExistsError extends Error {
  constructor(readonly setName: string) {
    super(`a problem set named "${setName}" already exists (choose another name with --set, or replace it with --replace)`);
    this.name = 'ProblemSetExistsError';
  }
}

export interface NewProblemSet {
  name: string;
  description?: string;
  sourceFiles?: string[];
  bundled?: boolean;
  problems: Problem[];
  /** Replace a set of the same name (in the same transaction) instead of refusing. */
  replace?: boolean;
}

interface SetRow {
  id: number;
  name: string;
  description: string;
  source_files: string;
  bundled: number;
  created_at: string;
  problem_count: number;
}

function toProblemSet(row: SetRow): ProblemSet {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    source_files: JSON.parse(row.source_files) as string[],
    problem_count: row.problem_count,
    created_at: row.created_at,
    bundled: row.bundled === 1,
  };
}

const SET_COLUMNS = `s.id, s.name, s.description, s.source_files, s.bundled, s.created_at,
  (SELECT count(*) FROM problems p WHERE p.set_id = s.id) AS problem_count`;

/** Stores a whole set in one transaction: either every problem is in, or nothing changed. */
export function saveProblemSet(db: LabDatabase, set: NewProblemSet): number {
  const insertProblem = db.prepare(
    `INSERT INTO problems (set_id, position, name, function_name, docstring, test_count, body)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  return db.transaction((): number => {
    const existing = db.prepare('SELECT id FROM problem_sets WHERE name = ?').get(set.name) as { id: number } | undefined;
    if (existing && !set.replace) throw new ProblemSetExistsError(set.name);
    if (existing) db.prepare('DELETE FROM problem_sets WHERE id = ?').run(existing.id);
    const now = nowIso();
    const { lastInsertRowid } = db
      .prepare(
        `INSERT INTO problem_sets (name, description, source_files, bundled, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(set.name, set.description ?? '', JSON.stringify(set.sourceFiles ?? []), set.bundled ? 1 : 0, now, now);
    const setId = Number(lastInsertRowid);
    set.problems.forEach((problem, position) => {
      insertProblem.run(
        setId,
        position,
        problem.name ?? problem.function_name,
        problem.function_name,
        problem.docstring,
        problem.test_cases.length + (problem.assert_tests?.length ?? 0),
        JSON.stringify(problem),
      );
    });
    return setId;
  }).immediate();
}

export function listProblemSets(db: LabDatabase): ProblemSet[] {
  const rows = db.prepare(`SELECT ${SET_COLUMNS} FROM problem_sets s ORDER BY s.bundled DESC, s.name`).all() as SetRow[];
  return rows.map(toProblemSet);
}

/** A set by id or by name. */
export function findProblemSet(db: LabDatabase, idOrName: string | number): ProblemSet | undefined {
  const row = (
    typeof idOrName === 'number' || /^\d+$/.test(idOrName)
      ? db.prepare(`SELECT ${SET_COLUMNS} FROM problem_sets s WHERE s.id = ?`).get(Number(idOrName))
      : db.prepare(`SELECT ${SET_COLUMNS} FROM problem_sets s WHERE s.name = ?`).get(idOrName)
  ) as SetRow | undefined;
  return row && toProblemSet(row);
}

/** The problems of a set in their order, parsed again at this boundary (the column is JSON). */
export function listProblems(db: LabDatabase, setId: number): Problem[] {
  const rows = db.prepare('SELECT name, body FROM problems WHERE set_id = ? ORDER BY position').all(setId) as {
    name: string;
    body: string;
  }[];
  return rows.map((row) => {
    const parsed = problemSchema.safeParse(JSON.parse(row.body));
    if (!parsed.success) throw new Error(`stored problem "${row.name}" is invalid: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  });
}

export function deleteProblemSet(db: LabDatabase, setId: number): boolean {
  return db.prepare('DELETE FROM problem_sets WHERE id = ?').run(setId).changes === 1;
}

export function renameProblemSet(db: LabDatabase, setId: number, name: string): void {
  const taken = db.prepare('SELECT id FROM problem_sets WHERE name = ? AND id != ?').get(name, setId);
  if (taken) throw new ProblemSetExistsError(name);
  db.prepare('UPDATE problem_sets SET name = ?, updated_at = ? WHERE id = ?').run(name, nowIso(), setId);
}
