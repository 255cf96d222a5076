import { existsSync } from 'node:fs';
import { ApiError } from '#shared/api/api-error.ts';
import type { solveMethods } from '#shared/api/solves-api.ts';
import { usesPretrainedModel } from '#shared/solving/solve-agents.ts';
import type { SolveRun, SolveRunSummary } from '#shared/solving/solve-run.ts';
import { summarizeSolve } from '#shared/solving/solve-summary.ts';
import { loadModel } from '#lab/evaluation/load-policy.ts';
import { PRETRAINED_POLICY_DIR } from '#lab/paths.ts';
import { problemsInTaskRange } from '#lab/solving/task-range.ts';
import { getExperiment } from '#lab/store/experiments.ts';
import { findProblemSet, listProblems } from '#lab/store/problem-sets.ts';
import { createSolveRun, deleteSolveRun, finishSolveRun, getSolveRun, listSolveResults, listSolveRuns, setSolverPid } from '#lab/store/solve-runs.ts';
import type { ApiContext } from './api-context.ts';
import type { HandlerMap } from './handler-map.ts';

function requireSolveRun(ctx: ApiContext, id: number): SolveRun {
  const run = getSolveRun(ctx.db, id);
  if (!run) throw new ApiError('not_found', `no solve run ${id}`);
  return run;
}

function withSummaries(ctx: ApiContext, run: SolveRun): SolveRunSummary {
  return { ...run, summaries: summarizeSolve(run.agents, listSolveResults(ctx.db, run.id)) };
}

/** The trained DQN experiment a run's dqn agent starts from, checked to have a network to load. */
async function startFrom(ctx: ApiContext, experimentId: number, agents: readonly string[]): Promise<{ experimentId: number; experimentName: string }> {
  const issue = (message: string) => [{ path: 'experiment_id', message }];
  const experiment = getExperiment(ctx.db, experimentId);
  if (!experiment) throw new ApiError('not_found', `no experiment ${experimentId}`, issue('no such experiment'));
  const refuse = (why: string) => new ApiError('invalid_input', why, issue(why));
  if (experiment.agent !== 'dqn') throw refuse(`experiment ${experimentId} trained a ${experiment.agent} agent: only a DQN experiment's network can start a solve`);
  if (!agents.includes('dqn')) throw refuse(`starting from experiment ${experimentId} needs the dqn agent among the agents`);
  try {
    await loadModel(ctx.db, ctx.dbPath, { experimentId });
  } catch (error) {
    throw refuse((error as Error).message);
  }
  return { experimentId, experimentName: experiment.name };
}

export const solveHandlers: HandlerMap<keyof typeof solveMethods> = {
  'solves.start': async ({ problem_set, agents, budget, seed, tasks, experiment_id }, ctx) => {
    const set = findProblemSet(ctx.db, problem_set);
    if (!set) throw new ApiError('not_found', `no problem set "${problem_set}"`, [{ path: 'problem_set', message: 'no such problem set' }]);
    const all = listProblems(ctx.db, set.id);
    const problems = tasks ? problemsInTaskRange(all, tasks) : all;
    if (problems.length === 0) {
      const why = tasks ? `no problem of "${set.name}" has a task number in ${tasks.first}-${tasks.last}` : `the problem set "${set.name}" has no problems`;
      throw new ApiError('invalid_input', why, [{ path: tasks ? 'tasks' : 'problem_set', message: why }]);
    }
    if (agents.some(usesPretrainedModel) && !existsSync(PRETRAINED_POLICY_DIR)) {
      const why = `no pretrained policy at ${PRETRAINED_POLICY_DIR}: make one with \`lab pretrain\` (docs/pretraining.md)`;
      throw new ApiError('invalid_input', why, [{ path: 'agents', message: why }]);
    }
    const start = experiment_id === undefined ? null : await startFrom(ctx, experiment_id, agents);
    const id = createSolveRun(ctx.db, {
      problemSetId: set.id,
      problemSet: set.name,
      tasks: tasks ?? null,
      agents,
      problems: problems.map((p) => p.name ?? p.function_name),
      budget,
      seed,
      startFrom: start,
    });
    try {
      setSolverPid(ctx.db, id, ctx.solvers.start(id).pid ?? null);
    } catch (error) {
      finishSolveRun(ctx.db, id, 'failed', error instanceof Error ? error.message : String(error));
      throw error;
    }
    ctx.emit({ name: 'SolveProgressed', payload: { solve_id: id, status: 'running', error: null, result: null } });
    return requireSolveRun(ctx, id);
  },
  'solves.list': (_input, ctx) => listSolveRuns(ctx.db).map((run) => withSummaries(ctx, run)),
  'solves.get': ({ id }, ctx) => {
    const run = requireSolveRun(ctx, id);
    const results = listSolveResults(ctx.db, id);
    return { ...run, summaries: summarizeSolve(run.agents, results), results };
  },
  'solves.stop': ({ id }, ctx) => {
    const run = requireSolveRun(ctx, id);
    if (run.status !== 'running') throw new ApiError('not_running', `solve run ${id} is not running (${run.status})`);
    if (!ctx.solvers.stop(id)) throw new ApiError('not_running', `solve run ${id} is being solved by another lab process`);
    return run;
  },
  'solves.delete': ({ id }, ctx) => {
    const run = requireSolveRun(ctx, id);
    if (run.status === 'running') throw new ApiError('conflict', `solve run ${id} is running: stop it before deleting it`);
    const deleted = deleteSolveRun(ctx.db, id);
    if (deleted) ctx.emit({ name: 'SolveDeleted', payload: { solve_id: id } });
    return { deleted };
  },
};
