import { z } from 'zod';
import { importReportSchema } from '../problems/import-report.ts';
import { problemSetSchema } from '../problems/problem.ts';
import { testRunSchema } from './episodes-api.ts';
import { method } from './method.ts';

const setName = z.string().trim().min(1).max(200);
const setId = z.number().int().positive();

/** The most bytes of problem files one import may send (the server reads at most 10 MB a request). */
export const IMPORT_MAX_CHARS = 8_000_000;

/** Managing problem sets: import dropped files, create, rename, duplicate, delete, edit problems. */
export const problemSetMethods = {
  /** All or nothing: the report says what came in, or what was refused with file, line:column and path. */
  'problemSets.import': method(
    z.strictObject({
      files: z
        .array(z.strictObject({ name: z.string().min(1).max(500), content: z.string() }))
        .min(1)
        .max(100)
        .refine((files) => files.reduce((n, f) => n + f.content.length, 0) <= IMPORT_MAX_CHARS, 'the files are over 8 MB together'),
      set_name: setName.optional(),
      dry_run: z.boolean().default(false),
    }),
    importReportSchema,
  ),
  'problemSets.create': method(z.strictObject({ name: setName, description: z.string().max(2000).optional() }), problemSetSchema),
  'problemSets.rename': method(z.strictObject({ id: setId, name: setName }), problemSetSchema),
  'problemSets.duplicate': method(z.strictObject({ id: setId, name: setName.optional() }), problemSetSchema),
  'problemSets.delete': method(z.strictObject({ id: setId }), z.object({ deleted: z.boolean() })),
  /** A problem as stored (JSON), for the editor. */
  'problems.get': method(z.strictObject({ set_id: setId, index: z.number().int().min(0) }), z.object({ problem: z.record(z.string(), z.unknown()) })),
  /** Saves a problem at index (replacing it) or appends it (index null); invalid problems are refused with paths. */
  'problems.save': method(
    z.strictObject({ set_id: setId, index: z.number().int().min(0).nullable(), problem: z.unknown() }),
    z.object({ index: z.number().int(), set: problemSetSchema }),
  ),
  'problems.delete': method(z.strictObject({ set_id: setId, index: z.number().int().min(0) }), z.object({ set: problemSetSchema })),
  /** Runs the problem's reference solution against its tests (isolated tier): per-test verdicts. */
  'problems.checkReference': method(z.strictObject({ problem: z.unknown() }), testRunSchema),
};
