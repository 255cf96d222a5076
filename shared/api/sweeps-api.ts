import { z } from 'zod';
import { experimentStatusSchema, metricPointSchema } from '../experiments/experiment.ts';
import { problemSchema } from '../problems/problem.ts';
import { sweepParameterSchema } from '../sweeps/sweep-spec.ts';
import { trainerProgressSchema } from '../training/trainer-events.ts';
import { method } from './method.ts';

const id = z.strictObject({ id: z.number().int().positive() });
const parameterValue = z.union([z.number(), z.string(), z.boolean()]);

/** A sweep as the CLI sends it: the sweep file with its base config already read and inlined. */
export const newSweepSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  base: z.record(z.string(), z.unknown()),
  problems: z.string().trim().min(1).max(200),
  method: z.enum(['grid', 'random']),
  parameters: z.record(z.string(), sweepParameterSchema),
  count: z.number().int().positive().optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
});

export const sweepRunSchema = z.object({
  experiment_id: z.number().int(),
  name: z.string(),
  /** created means queued: no worker has picked it up yet. */
  status: experimentStatusSchema,
  params: z.record(z.string(), parameterValue),
  seed: z.number().int().nullable(),
  /** Pickups so far; the newest is the one allowed to write. */
  attempts: z.number().int(),
  worker_host: z.string().nullable(),
  episodes_done: z.number().int(),
  episodes_total: z.number().int(),
  error: z.string().nullable(),
  /** The last stored value of each metric. */
  final: z.record(z.string(), z.number()),
});
export type SweepRun = z.infer<typeof sweepRunSchema>;

export const sweepSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  method: z.enum(['grid', 'random']),
  stopped: z.boolean(),
  created_at: z.string(),
  /** Runs per experiment status. */
  counts: z.record(z.string(), z.number().int()),
  runs_total: z.number().int(),
});
export type SweepSummary = z.infer<typeof sweepSummarySchema>;

export const sweepDetailSchema = sweepSummarySchema.extend({
  parameters: z.array(z.string()),
  runs: z.array(sweepRunSchema),
});
export type SweepDetail = z.infer<typeof sweepDetailSchema>;

export const checkpointTransferSchema = z.strictObject({
  episode: z.number().int().min(0),
  manifest: z.string().max(16 * 1024 * 1024),
  data: z.string().max(64 * 1024 * 1024),
});

/** One write of an attempt: a metric batch, a checkpoint, or how the run ended. */
export const runBatchSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('metrics'), points: z.array(metricPointSchema).max(100_000) }),
  z.strictObject({ kind: z.literal('checkpoint'), checkpoint: checkpointTransferSchema }),
  z.strictObject({ kind: z.literal('finish'), status: z.enum(['done', 'failed']), error: z.string().max(20_000).nullable() }),
]);
export type RunBatch = z.infer<typeof runBatchSchema>;

const token = z.string().min(1).max(200);

export const attemptStartOutputSchema = z.discriminatedUnion('state', [
  /** Nothing to do: the run ended (or its sweep was stopped) before this pickup. */
  z.object({ state: z.literal('finished'), status: experimentStatusSchema }),
  z.object({
    state: z.literal('run'),
    attempt: z.number().int().positive(),
    /** Writes of this attempt, to this run only. */
    attempt_token: z.string(),
    config: z.record(z.string(), z.unknown()),
    problem_set_name: z.string(),
    problems: z.array(problemSchema),
    /** The run's newest checkpoint held by the lab; null for a fresh start. */
    checkpoint: checkpointTransferSchema.nullable(),
  }),
]);
export type AttemptStart = z.infer<typeof attemptStartOutputSchema>;

/** Sweeps: many configs and seeds, run by workers on other hosts through a queue. */
export const sweepMethods = {
  /** Expands the sweep into runs (experiment rows) and enqueues them; needs `lab serve --queue`. */
  'sweeps.create': method(newSweepSchema, z.object({ sweep_id: z.number().int(), runs: z.array(z.number().int()) })),
  'sweeps.list': method(z.object({}).optional(), z.array(sweepSummarySchema)),
  'sweeps.get': method(id, sweepDetailSchema),
  /** Takes queued runs off the queue and ends running ones (their workers stop at their next write). */
  'sweeps.stop': method(id, sweepSummarySchema),
  'workerTokens.create': method(z.strictObject({ name: z.string().trim().min(1).max(200) }), z.object({ id: z.number().int(), token: z.string() })),
  'workerTokens.list': method(
    z.object({}).optional(),
    z.array(z.object({ id: z.number().int(), name: z.string(), created_at: z.string(), revoked_at: z.string().nullable() })),
  ),
  /** A revoked token, and every attempt started with it, can write nothing more. */
  'workerTokens.revoke': method(id, z.object({ revoked: z.boolean() })),
  /** A worker checks its token before it takes any run. */
  'worker.hello': method(z.strictObject({ token }), z.object({ lab: z.string() })),
  /** A worker picked up a run: a new numbered attempt, which supersedes every earlier one. */
  'worker.attemptStart': method(z.strictObject({ token, run_id: z.number().int().positive(), host: z.string().min(1).max(200) }), attemptStartOutputSchema),
  /**
   * One numbered write of an attempt, in order (seq 1, 2, ...). A seq already stored is accepted and
   * ignored; a superseded attempt is refused (conflict, 409) and must stop its trainer.
   */
  'worker.append': method(
    z.strictObject({
      token,
      run_id: z.number().int().positive(),
      attempt: z.number().int().positive(),
      seq: z.number().int().positive(),
      /** When the trainer reported it, ms since the epoch on the worker. */
      emitted_at: z.number(),
      batch: runBatchSchema,
      /** The trainer's latest progress, for live views (not stored). */
      progress: trainerProgressSchema.optional(),
    }),
    z.object({ stored: z.boolean() }),
  ),
};

/** Methods a worker calls with its own token instead of the lab's launch token. */
export const WORKER_METHOD_NAMES: readonly string[] = ['worker.hello', 'worker.attemptStart', 'worker.append'];
