import { z } from 'zod';
import { solveResultSchema, solveRunStatusSchema } from '#shared/solving/solve-run.ts';

/** What a solver process is started with (its one argument, as JSON). */
export interface SolverStart {
  dbPath: string;
  solveId: number;
}

/** What a solver says, in order: each result once it is stored, then how the run ended. */
export const solverMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), solve_id: z.number().int(), result: solveResultSchema }),
  z.object({
    type: z.literal('finished'),
    solve_id: z.number().int(),
    status: solveRunStatusSchema.exclude(['running']),
    error: z.string().nullable(),
  }),
]);
export type SolverMessage = z.infer<typeof solverMessageSchema>;

/**
 * What the parent may tell a solver: stop after the problem at hand. `interrupted` says the lab is
 * closing rather than a person stopping the run, and the run is stored as such.
 */
export const solverCommandSchema = z.object({ type: z.literal('stop'), interrupted: z.boolean().default(false) });
export type SolverCommand = z.input<typeof solverCommandSchema>;
