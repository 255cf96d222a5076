import { z } from 'zod';
import { DEFAULT_SOLVE_AGENTS, solveAgentSchema } from '../solving/solve-agents.ts';
import { solveRunDetailSchema, solveRunSchema, solveRunSummarySchema, taskRangeSchema } from '../solving/solve-run.ts';
import { method } from './method.ts';

const id = z.strictObject({ id: z.number().int().positive() });

/** The most executed programs a solve run may spend per agent and problem. */
export const SOLVE_BUDGET_MAX = 100_000;

export const newSolveRunSchema = z.strictObject({
  problem_set: z.string().trim().min(1).max(200).describe('The name of a stored problem set.'),
  agents: z
    .array(solveAgentSchema)
    .min(1)
    .max(16)
    .refine((agents) => new Set(agents).size === agents.length, 'each agent may be named once')
    .default([...DEFAULT_SOLVE_AGENTS])
    .describe('Run one after the other, each on every problem, on the same budget.'),
  budget: z
    .number()
    .int()
    .min(1, 'the budget is at least 1 executed program')
    .max(SOLVE_BUDGET_MAX, `the budget is at most ${SOLVE_BUDGET_MAX.toLocaleString('en')} executed programs`)
    .default(1000)
    .describe('Executed programs allowed per agent and problem; no program is executed twice.'),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  tasks: taskRangeSchema.optional().describe('Keep only the problems whose name ends in a task number in this range.'),
  experiment_id: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("A trained DQN experiment: the dqn agent starts every problem from its network (best checkpoint, else latest), and every agent but pretrained uses its config."),
});
export type NewSolveRun = z.input<typeof newSolveRunSchema>;

/**
 * Solve runs: for each problem of a set, each agent searches (learning agents also learn from that
 * problem's own tests) until a program passes every test or the budget is spent. A run works in its
 * own process; `SolveProgressed` reports each result as it is stored.
 */
export const solveMethods = {
  'solves.start': method(newSolveRunSchema, solveRunSchema),
  /** Newest first, with each agent's summary so far. */
  'solves.list': method(z.object({}).optional(), z.array(solveRunSummarySchema)),
  'solves.get': method(id, solveRunDetailSchema),
  /** Ends a running run after the problem at hand; what it found so far is kept. */
  'solves.stop': method(id, solveRunSchema),
  /** Deletes an ended run and its results (a running one is stopped first, by the caller). */
  'solves.delete': method(id, z.object({ deleted: z.boolean() })),
};
