import { z } from 'zod';
import { solveAgentSchema } from './solve-agents.ts';

/**
 * A solve run's life: running -> done | stopped | failed. A run found "running" with no solver
 * process when the lab starts (a kill, a crash, power loss) becomes interrupted; its results so far
 * are kept.
 */
export const SOLVE_RUN_STATUSES = ['running', 'done', 'failed', 'stopped', 'interrupted'] as const;
export const solveRunStatusSchema = z.enum(SOLVE_RUN_STATUSES);
export type SolveRunStatus = z.infer<typeof solveRunStatusSchema>;

/** The problems whose name ends in a task number in FIRST-LAST (MBPP's test split: 11-510). */
export const taskRangeSchema = z
  .strictObject({
    first: z.number().int().min(0).describe('Smallest task number kept (inclusive).'),
    last: z.number().int().min(0).describe('Largest task number kept (inclusive).'),
  })
  .refine((r) => r.first <= r.last, { message: 'first must be at most last', path: ['last'] });
export type TaskRange = z.infer<typeof taskRangeSchema>;

export const solveRunSchema = z.object({
  id: z.number().int(),
  /** The set solved, while it exists (null once deleted). */
  problem_set_id: z.number().int().nullable(),
  /** The set's name when the run started (the set may be renamed or deleted later). */
  problem_set: z.string(),
  tasks: z.object({ first: z.number().int(), last: z.number().int() }).nullable(),
  /** In the order they run, one after the other, each on every problem. */
  agents: z.array(solveAgentSchema),
  /** The names of the problems solved, in set order. */
  problems: z.array(z.string()),
  budget: z.number().int().describe('Executed programs allowed per agent and problem.'),
  seed: z.number().int(),
  /** The trained DQN experiment the dqn agent starts from on every problem; null: a fresh network. */
  start_from: z
    .object({
      /** Null once the experiment is deleted. */
      experiment_id: z.number().int().nullable(),
      experiment_name: z.string(),
    })
    .nullable(),
  status: solveRunStatusSchema,
  error: z.string().nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});
export type SolveRun = z.infer<typeof solveRunSchema>;

/** One agent on one problem: solved or not, and what it cost. */
export const solveResultSchema = z.object({
  agent: solveAgentSchema,
  /** Position of the problem in the run's `problems`. */
  problem_index: z.number().int().min(0),
  problem: z.string(),
  solved: z.boolean(),
  samples_executed: z.number().int().describe('Programs executed until the first passing one (or the whole budget).'),
  episodes: z.number().int(),
  seconds: z.number(),
  /** The passing program, null when unsolved. */
  program: z.string().nullable(),
});
export type SolveResult = z.infer<typeof solveResultSchema>;

export const solveAgentSummarySchema = z.object({
  agent: solveAgentSchema,
  solved: z.number().int(),
  /** Problems this agent has a result for so far. */
  problems: z.number().int(),
  solved_within_100: z.number().int().describe('Problems solved with at most 100 executed programs.'),
  /** Median samples-to-solution of the solved problems; null when none is solved. */
  median_samples: z.number().nullable(),
  seconds: z.number(),
});
export type SolveAgentSummary = z.infer<typeof solveAgentSummarySchema>;

export const solveRunSummarySchema = solveRunSchema.extend({ summaries: z.array(solveAgentSummarySchema) });
export type SolveRunSummary = z.infer<typeof solveRunSummarySchema>;

export const solveRunDetailSchema = solveRunSummarySchema.extend({ results: z.array(solveResultSchema) });
export type SolveRunDetail = z.infer<typeof solveRunDetailSchema>;
