import type { SolverExit } from '#lab/solving/solver-client.ts';
import type { SolverMessage } from '#lab/solving/solver-messages.ts';
import { finishSolveRun } from '#lab/store/solve-runs.ts';
import type { ApiContext } from './api-context.ts';

/** Turns what solvers say into API events (the solver has stored each result and its end already). */
export function relaySolverMessage(ctx: ApiContext, message: SolverMessage): void {
  if (message.type === 'result') {
    ctx.emit({ name: 'SolveProgressed', payload: { solve_id: message.solve_id, status: 'running', error: null, result: message.result } });
  } else {
    ctx.emit({ name: 'SolveProgressed', payload: { solve_id: message.solve_id, status: message.status, error: message.error, result: null } });
  }
}

/** A solver process ended: a run it left running ends with how the process ended. */
export function relaySolverExit(ctx: ApiContext, id: number, exit: SolverExit): void {
  if (!finishSolveRun(ctx.db, id, exit.status, exit.error)) return;
  ctx.emit({ name: 'SolveProgressed', payload: { solve_id: id, status: exit.status, error: exit.error, result: null } });
}
