import { ApiError, issuesOf, type ApiResponse } from '#shared/api/api-error.ts';
import { apiMethods, isApiMethod, type ApiMethodName, type LabBridge } from '#shared/api/contract.ts';
import type { LabEvent } from '#shared/api/events.ts';
import { PRESETS_DIR } from '#lab/paths.ts';
import type { LabDatabase } from '#lab/store/database.ts';
import { markInterruptedRuns } from '#lab/store/experiments.ts';
import { ProblemSetExistsError } from '#lab/store/problem-sets.ts';
import { SeriesCache } from '#lab/store/series-cache.ts';
import { markInterruptedSolveRuns } from '#lab/store/solve-runs.ts';
import { SolverManager } from '#lab/solving/solver-manager.ts';
import type { SweepController } from '#lab/sweeps/sweep-controller.ts';
import type { TrainerManager } from '#lab/training/trainer-manager.ts';
import type { ApiContext } from './api-context.ts';
import { catalogHandlers } from './catalog-handlers.ts';
import { compareHandlers } from './compare-handlers.ts';
import { diagnosticsHandlers } from './diagnostics-handlers.ts';
import { episodeHandlers } from './episode-handlers.ts';
import { experimentHandlers } from './experiment-handlers.ts';
import type { HandlerMap } from './handler-map.ts';
import { labHandlers } from './lab-handlers.ts';
import { LabServices } from './lab-services.ts';
import { problemSetHandlers } from './problem-set-handlers.ts';
import { runControlHandlers } from './run-control-handlers.ts';
import { runDataHandlers } from './run-data-handlers.ts';
import { settingsHandlers } from './settings-handlers.ts';
import { solveHandlers } from './solve-handlers.ts';
import { relaySolverExit, relaySolverMessage } from './solver-event-relay.ts';
import { sweepHandlers } from './sweep-handlers.ts';
import { relayTrainerEvent, relayTrainerExit } from './trainer-event-relay.ts';

export interface LabApiOptions {
  db: LabDatabase;
  dbPath: string;
  trainers: TrainerManager;
  /** The lab's solve runs; a manager forking the real solver by default. */
  solvers?: SolverManager;
  presetsDir?: string;
  sweeps?: SweepController;
}

/** The engine side of the API, one per lab (server or app); every transport calls into this. */
export interface LabApi {
  /** Validates the input at this boundary and answers; never throws. */
  call(method: string, input: unknown): Promise<ApiResponse>;
  subscribe(listener: (event: LabEvent) => void): () => void;
  /** The in-process bridge (tests, CLI): the same surface the preload exposes. */
  bridge(): LabBridge;
  /** Detaches from the trainers, ends running solve runs (as interrupted) and stops the executor's workers. */
  close(): Promise<void>;
}

const HANDLERS: HandlerMap<ApiMethodName> = {
  ...catalogHandlers,
  ...experimentHandlers,
  ...runControlHandlers,
  ...runDataHandlers,
  ...labHandlers,
  ...compareHandlers,
  ...episodeHandlers,
  ...diagnosticsHandlers,
  ...problemSetHandlers,
  ...settingsHandlers,
  ...sweepHandlers,
  ...solveHandlers,
};

function errorBody(error: unknown) {
  if (error instanceof ApiError) return error.toBody();
  if (error instanceof ProblemSetExistsError) return { code: 'conflict' as const, message: error.message };
  return { code: 'internal' as const, message: error instanceof Error ? error.message : String(error) };
}

export function createLabApi(options: LabApiOptions): LabApi {
  const listeners = new Set<(event: LabEvent) => void>();
  const ctx: ApiContext = {
    db: options.db,
    dbPath: options.dbPath,
    trainers: options.trainers,
    solvers: options.solvers ?? new SolverManager(options.dbPath),
    presetsDir: options.presetsDir ?? PRESETS_DIR,
    services: new LabServices(options.db),
    series: new SeriesCache(options.db),
    ...(options.sweeps ? { sweeps: options.sweeps } : {}),
    emit(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // one broken subscriber (a closed socket) must not stop the others
        }
      }
    },
  };
  markInterruptedRuns(ctx.db);
  markInterruptedSolveRuns(ctx.db);
  const onEvent = (event: Parameters<typeof relayTrainerEvent>[1]) => relayTrainerEvent(ctx, event);
  const onExit = (id: number, exit: Parameters<typeof relayTrainerExit>[2]) => relayTrainerExit(ctx, id, exit);
  const onSolverMessage = (message: Parameters<typeof relaySolverMessage>[1]) => relaySolverMessage(ctx, message);
  const onSolverExit = (id: number, exit: Parameters<typeof relaySolverExit>[2]) => relaySolverExit(ctx, id, exit);
  ctx.trainers.on('event', onEvent);
  ctx.trainers.on('exit', onExit);
  ctx.solvers.on('message', onSolverMessage);
  ctx.solvers.on('exit', onSolverExit);

  const api: LabApi = {
    async call(method, input) {
      if (typeof method !== 'string' || !isApiMethod(method)) {
        return { ok: false, error: { code: 'unknown_method', message: `no API method "${String(method)}"` } };
      }
      const parsed = apiMethods[method].input.safeParse(input);
      if (!parsed.success) {
        const issues = issuesOf(parsed.error);
        const first = issues[0];
        return {
          ok: false,
          error: { code: 'invalid_input', message: `${method}: ${first ? `${first.path || 'input'}: ${first.message}` : 'invalid input'}`, issues },
        };
      }
      try {
        const handler = HANDLERS[method] as (input: unknown, ctx: ApiContext) => unknown;
        return { ok: true, result: await handler(parsed.data, ctx) };
      } catch (error) {
        return { ok: false, error: errorBody(error) };
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    bridge() {
      return { call: (method, input) => api.call(method, input), listen: (listener) => api.subscribe(listener) };
    },
    async close() {
      ctx.trainers.off('event', onEvent);
      ctx.trainers.off('exit', onExit);
      // The solvers write their own end; the relay stays attached until they have.
      await ctx.solvers.stopAll();
      ctx.solvers.off('message', onSolverMessage);
      ctx.solvers.off('exit', onSolverExit);
      listeners.clear();
      await ctx.sweeps?.close();
      await ctx.services.close();
    },
  };
  return api;
}
