import { existsSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { importProblemFiles } from '#lab/problems/import-problems.ts';
import type { LabDatabase } from '#lab/store/database.ts';
import { findProblemSet, listProblems, saveProblemSet } from '#lab/store/problem-sets.ts';
import { PROJECT_ROOT } from '#lab/paths.ts';
import { formatImportMessage } from '#shared/problems/import-report.ts';
import type { Problem, ProblemSet } from '#shared/problems/problem.ts';

export class ProblemSetRefusedError extends Error {
  override name = 'ProblemSetRefusedError';
}

/** Where a relative problem file is looked for: here, beside the config, then in the project. */
function findFile(reference: string, configDir: string | undefined): string | undefined {
  if (isAbsolute(reference)) return existsSync(reference) ? reference : undefined;
  const candidates = [resolve(reference), ...(configDir ? [join(configDir, reference)] : []), join(PROJECT_ROOT, reference)];
  return candidates.find((path) => existsSync(path));
}

const sameProblems = (a: Problem[], b: Problem[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The problem set a run trains on, from a stored set's name or id, or a problem file (the seed's
 * `data.train_problems`). A file is imported (all or nothing) into a set named after it, reusing a
 * stored set with the same problems, so `lab train` twice on one file makes one set.
 */
export async function resolveProblemSet(
  db: LabDatabase,
  reference: string,
  configDir?: string,
): Promise<{ set: ProblemSet; problems: Problem[] }> {
  const stored = findProblemSet(db, reference);
  if (stored) return { set: stored, problems: listProblems(db, stored.id) };
  const path = findFile(reference, configDir);
  if (!path) throw new ProblemSetRefusedError(`no problem set or file "${reference}" (see \`lab problems\`)`);
  const outcome = await importProblemFiles([{ path, bytes: readFileSync(path) }]);
  if (!outcome.report.ok) {
    throw new ProblemSetRefusedError(
      [`${path}: cannot be used as a problem set:`, ...outcome.report.errors.map(formatImportMessage)].join('\n'),
    );
  }
  const base = basename(path).replace(/\.(jsonl|json)(\.gz)?$/i, '');
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    const existing = findProblemSet(db, name);
    if (existing) {
      const problems = listProblems(db, existing.id);
      if (sameProblems(problems, outcome.problems)) return { set: existing, problems };
      continue;
    }
    const id = saveProblemSet(db, { name, description: outcome.description, sourceFiles: [path], problems: outcome.problems });
    return { set: findProblemSet(db, id)!, problems: listProblems(db, id) };
  }
}
