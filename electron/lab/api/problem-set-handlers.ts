import { ApiError, issuesOf } from '#shared/api/api-error.ts';
import type { problemSetMethods } from '#shared/api/problem-sets-api.ts';
import type { ImportReport } from '#shared/problems/import-report.ts';
import { problemSchema, type ProblemSet } from '#shared/problems/problem.ts';
import { importProblemFiles } from '#lab/problems/import-problems.ts';
import { deleteProblem, duplicateProblemSet, readProblemJson, saveProblem } from '#lab/store/problem-edits.ts';
import { deleteProblemSet, findProblemSet, ProblemSetExistsError, renameProblemSet, saveProblemSet } from '#lab/store/problem-sets.ts';
import type { ApiContext } from './api-context.ts';
import type { HandlerMap } from './handler-map.ts';
import { runTests } from './test-verdicts.ts';

function requireSet(ctx: ApiContext, id: number): ProblemSet {
  const set = findProblemSet(ctx.db, id);
  if (!set) throw new ApiError('not_found', `no problem set ${id}`);
  return set;
}

function parseProblem(raw: unknown) {
  const parsed = problemSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error).map((i) => ({ ...i, path: i.path ? `problem.${i.path}` : 'problem' }));
    throw new ApiError('invalid_input', `the problem is invalid: ${issues[0]?.path}: ${issues[0]?.message}`, issues);
  }
  return parsed.data;
}

/** A free name: "name (copy)", "name (copy 2)", ... */
function freeName(ctx: ApiContext, base: string): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base.replace(/\)$/, '')} ${n})`;
    if (!findProblemSet(ctx.db, name)) return name;
  }
}

function sqliteConflict(error: unknown): never {
  if (error instanceof ProblemSetExistsError) throw new ApiError('conflict', `a problem set named "${error.setName}" already exists`);
  if (error instanceof Error && /UNIQUE constraint failed: problems\.set_id, problems\.name/.test(error.message)) {
    throw new ApiError('conflict', 'another problem in this set has the same name', [{ path: 'problem.name', message: 'names must be unique in a set' }]);
  }
  throw error;
}

export const problemSetHandlers: HandlerMap<keyof typeof problemSetMethods> = {
  'problemSets.import': async ({ files, set_name, dry_run }, ctx) => {
    const sources = files.map((f) => ({ path: f.name, bytes: new TextEncoder().encode(f.content) }));
    const outcome = await importProblemFiles(sources, set_name ? { setName: set_name } : {});
    const report: ImportReport = { ...outcome.report, dry_run };
    if (!report.ok || dry_run) return report;
    try {
      report.set_id = saveProblemSet(ctx.db, { name: report.set, description: outcome.description, sourceFiles: files.map((f) => f.name), problems: outcome.problems });
    } catch (error) {
      if (!(error instanceof ProblemSetExistsError)) throw error;
      report.ok = false;
      report.problems = [];
      report.errors.push({ severity: 'error', file: files[0]!.name, message: `a problem set named "${report.set}" already exists: rename or delete it, or import under another name` });
      report.error_count++;
    }
    return report;
  },
  'problemSets.create': ({ name, description }, ctx) => {
    try {
      return requireSet(ctx, saveProblemSet(ctx.db, { name, description: description ?? '', problems: [] }));
    } catch (error) {
      sqliteConflict(error);
    }
  },
  'problemSets.rename': ({ id, name }, ctx) => {
    requireSet(ctx, id);
    try {
      renameProblemSet(ctx.db, id, name);
    } catch (error) {
      sqliteConflict(error);
    }
    return requireSet(ctx, id);
  },
  'problemSets.duplicate': ({ id, name }, ctx) => {
    const set = requireSet(ctx, id);
    try {
      return requireSet(ctx, duplicateProblemSet(ctx.db, set, name ?? freeName(ctx, `${set.name} (copy)`)));
    } catch (error) {
      sqliteConflict(error);
    }
  },
  'problemSets.delete': ({ id }, ctx) => {
    requireSet(ctx, id);
    return { deleted: deleteProblemSet(ctx.db, id) };
  },
  'problems.get': ({ set_id, index }, ctx) => {
    requireSet(ctx, set_id);
    const problem = readProblemJson(ctx.db, set_id, index);
    if (!problem) throw new ApiError('not_found', `set ${set_id} has no problem at position ${index}`);
    return { problem };
  },
  'problems.save': ({ set_id, index, problem }, ctx) => {
    requireSet(ctx, set_id);
    const valid = parseProblem(problem);
    try {
      return { index: saveProblem(ctx.db, set_id, index, valid), set: requireSet(ctx, set_id) };
    } catch (error) {
      sqliteConflict(error);
    }
  },
  'problems.delete': ({ set_id, index }, ctx) => {
    requireSet(ctx, set_id);
    if (!deleteProblem(ctx.db, set_id, index)) throw new ApiError('not_found', `set ${set_id} has no problem at position ${index}`);
    return { set: requireSet(ctx, set_id) };
  },
  'problems.checkReference': async ({ problem }, ctx) => {
    const valid = parseProblem(problem);
    if (!valid.reference_solution?.trim()) {
      throw new ApiError('invalid_input', 'the problem has no reference_solution to run', [{ path: 'problem.reference_solution', message: 'required to run' }]);
    }
    try {
      // User-written code: the isolated tier (a fresh process per sample).
      return await runTests(ctx.services.executor(), valid, valid.reference_solution, 'isolated');
    } catch (error) {
      throw new ApiError('internal', `the executor could not run the reference: ${(error as Error).message}`);
    }
  },
};
