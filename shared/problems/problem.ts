import { z } from 'zod';
import { identifierProblem } from './python-identifier.ts';
import { decodeTagged, TaggedValueError, type TaggedJson } from '../values/tagged-json.ts';

const identifier = z.string().superRefine((name, ctx) => {
  const problem = identifierProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** A tagged-JSON value (see shared/values/tagged-json.ts), validated down to its own JSON path. */
export const taggedValueSchema = z.custom<TaggedJson>().superRefine((raw, ctx) => {
  try {
    decodeTagged(raw);
  } catch (error) {
    if (!(error instanceof TaggedValueError)) throw error;
    const path = error.path.match(/[^.[\]]+|\[\d+\]/g)?.map((p) => (p.startsWith('[') ? Number(p.slice(1, -1)) : p)) ?? [];
    ctx.addIssue({ code: 'custom', message: error.detail, path });
  }
});

/** `[input, expected]`: see shared/problems/test-arguments.ts for how input becomes arguments. */
export const testCaseSchema = z
  .custom<[TaggedJson, TaggedJson]>((raw) => Array.isArray(raw) && raw.length === 2, {
    message: 'expected [input, expected]',
  })
  .superRefine((pair, ctx) => {
    for (const index of [0, 1] as const) {
      const check = taggedValueSchema.safeParse(pair[index]);
      for (const issue of check.error?.issues ?? []) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: [index, ...issue.path] });
      }
    }
  });

export const toleranceSchema = z.strictObject({
  /** Relative tolerance, as math.isclose's rel_tol. */
  rel_tol: z.number().min(0).max(1).default(1e-9),
  /** Absolute tolerance, as math.isclose's abs_tol. */
  abs_tol: z.number().min(0).default(0),
});

/** The fields of a problem; unknown fields are kept (and reported as a warning by the importer). */
export const PROBLEM_FIELDS = [
  'name',
  'function_name',
  'docstring',
  'test_cases',
  'starter_code',
  'parameters',
  'reference_solution',
  'difficulty',
  'tags',
  'tolerance',
  'assert_tests',
  'source',
] as const;

export const problemSchema = z
  .looseObject({
    /**
     * The problem's unique name in its set; defaults to function_name. HumanEval and MBPP reuse
     * function names across tasks, so their problems are named after the task ("HumanEval/12").
     */
    name: z.string().min(1).max(200).optional(),
    /** The entry point the candidate must define. */
    function_name: identifier,
    /** What the function should do, in words; the agent's problem embedding reads it. */
    docstring: z.string({ error: 'expected a string' }),
    /** `[input, expected]` pairs in tagged JSON. */
    test_cases: z.array(testCaseSchema, { error: 'expected a list of [input, expected] pairs' }),
    /** Template code shown to the agent (the seed's field; usually empty). */
    starter_code: z.string().default(''),
    /** Parameter names in order; they decide the arity rule and the agent's parameter slots. */
    parameters: z.array(identifier).optional(),
    /** A known-good solution: the executor's `validate` step runs it against the tests. */
    reference_solution: z.string().optional(),
    difficulty: z
      .union([z.enum(['easy', 'medium', 'hard']), z.number().int().min(1).max(10)], {
        error: 'expected "easy", "medium", "hard" or a whole number from 1 to 10',
      })
      .optional(),
    tags: z.array(z.string()).optional(),
    /** Float comparison tolerance for this problem's tests. */
    tolerance: toleranceSchema.optional(),
    /**
     * Tests that could not become `[input, expected]` pairs (random inputs, helper objects), kept as
     * Python assert statements that call `function_name`; they run in the executor's isolated tier.
     */
    assert_tests: z.array(z.string()).optional(),
    /** Where the problem came from, e.g. "HumanEval/0" or "mbpp/11". */
    source: z.string().optional(),
  })
  .superRefine((problem, ctx) => {
    if (problem.test_cases.length === 0 && (problem.assert_tests?.length ?? 0) === 0) {
      ctx.addIssue({ code: 'custom', message: 'a problem needs at least one test case', path: ['test_cases'] });
    }
    if (problem.parameters && new Set(problem.parameters).size !== problem.parameters.length) {
      ctx.addIssue({ code: 'custom', message: 'parameter names must be distinct', path: ['parameters'] });
    }
  });

export type Problem = z.infer<typeof problemSchema>;
export type ProblemInput = z.input<typeof problemSchema>;
export type TestCase = [TaggedJson, TaggedJson];

export const problemSetSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  source_files: z.array(z.string()),
  problem_count: z.number().int(),
  created_at: z.string(),
  bundled: z.boolean(),
});
export type ProblemSet = z.infer<typeof problemSetSchema>;
