import { ApiError } from '#shared/api/api-error.ts';
import type { SweepController } from '#lab/sweeps/sweep-controller.ts';
import { appendBatch, helloWorker, startAttempt } from '#lab/sweeps/run-ingest.ts';
import { getSweepSummary, listSweepSummaries, sweepParameterNames, sweepRuns } from '#lab/sweeps/sweep-store.ts';
import { createWorkerToken, listWorkerTokens, revokeWorkerToken } from '#lab/sweeps/worker-tokens.ts';
import type { ApiContext } from './api-context.ts';
import type { HandlerMap } from './handler-map.ts';

type SweepMethod =
  | 'sweeps.create'
  | 'sweeps.list'
  | 'sweeps.get'
  | 'sweeps.stop'
  | 'workerTokens.create'
  | 'workerTokens.list'
  | 'workerTokens.revoke'
  | 'worker.hello'
  | 'worker.attemptStart'
  | 'worker.append';

function controller(ctx: ApiContext): SweepController {
  if (!ctx.sweeps) throw new ApiError('conflict', 'this lab has no queue: start it with `lab serve --queue redis://[[USER]:PASSWORD@]HOST:PORT`');
  return ctx.sweeps;
}

export const sweepHandlers: HandlerMap<SweepMethod> = {
  'sweeps.create': (input, ctx) => controller(ctx).createSweep(input),
  'sweeps.list': (_input, ctx) => listSweepSummaries(ctx.db),
  'sweeps.get': ({ id }, ctx) => {
    const summary = getSweepSummary(ctx.db, id);
    if (!summary) throw new ApiError('not_found', `no sweep ${id}`);
    return { ...summary, parameters: sweepParameterNames(ctx.db, id), runs: sweepRuns(ctx.db, id) };
  },
  'sweeps.stop': ({ id }, ctx) => controller(ctx).stopSweep(id),
  'workerTokens.create': ({ name }, ctx) => createWorkerToken(ctx.db, name),
  'workerTokens.list': (_input, ctx) => listWorkerTokens(ctx.db),
  'workerTokens.revoke': ({ id }, ctx) => ({ revoked: revokeWorkerToken(ctx.db, id) }),
  'worker.hello': ({ token }, ctx) => helloWorker(ctx.db, token),
  'worker.attemptStart': (input, ctx) => {
    const answer = startAttempt(ctx.db, ctx.dbPath, input);
    if (answer.state === 'run') ctx.emit({ name: 'ExperimentStatusChanged', payload: { experiment_id: input.run_id, status: 'running', error: null } });
    return answer;
  },
  'worker.append': (input, ctx) => {
    const result = appendBatch(ctx.db, ctx.dbPath, input);
    if (!result.stored) return { stored: false };
    const { batch, run_id } = input;
    if (batch.kind === 'metrics' && batch.points.length) ctx.emit({ name: 'MetricsAppended', payload: { experiment_id: run_id, points: batch.points } });
    if (input.progress) ctx.emit({ name: 'ExperimentProgressed', payload: { ...input.progress, experiment_id: run_id } });
    if (result.status) ctx.emit({ name: 'ExperimentStatusChanged', payload: { experiment_id: run_id, status: result.status, error: batch.kind === 'finish' ? batch.error : null } });
    return { stored: true };
  },
};
