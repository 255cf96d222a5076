import { z } from 'zod';

/** Quantiles the TD-error bands are drawn from (TensorBoard's distributions use similar bands). */
export const TD_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

/** The value an agent predicted at an episode's first step against the discounted return it then got. */
export const qReturnSchema = z.object({ q: z.number(), ret: z.number(), success: z.boolean() });
/** The TD errors (prediction - target) of the updates in one window: TD_QUANTILES, mean, count. */
export const tdErrorsSchema = z.object({ quantiles: z.array(z.number()), mean: z.number(), n: z.number().int() });
/** The replay buffer's make-up: where its transitions came from, which problems, how old (in episodes). */
export const bufferSchema = z.object({
  size: z.number().int(),
  capacity: z.number().int(),
  by_source: z.record(z.string(), z.number().int()),
  by_problem: z.record(z.string(), z.number().int()),
  age_median: z.number(),
  age_p90: z.number(),
  success_size: z.number().int(),
  /** Share of each batch drawn from the success buffer (0 while it is empty or off). */
  success_share: z.number(),
});
/** Tokens the agent wrote for one problem in one window, by display name, and the episodes counted. */
export const tokensSchema = z.object({ counts: z.record(z.string(), z.number().int()), episodes: z.number().int() });

/**
 * A policy's own sampled decisions in one window (agents that draw tokens from a distribution):
 * per step position (index 0: the first decision), the mean entropy in nats of the distribution
 * the token was drawn from and the mean probability of the token drawn, with the decisions
 * counted; and TD_QUANTILES of the chosen tokens' probabilities over the whole window.
 */
export const policySchema = z.object({
  entropy: z.array(z.number()),
  probability: z.array(z.number()),
  decisions: z.array(z.number().int()),
  probability_quantiles: z.array(z.number()),
});
/**
 * The best distinct programs an agent keeps for one problem (priority-queue training's queue), best
 * first: `score` is what the agent ranks by (the reward's correctness part), with the tests the
 * program passed where the run's memory of executed programs still holds its verdicts.
 */
export const queueSchema = z.object({
  programs: z.array(z.object({ code: z.string(), score: z.number(), tokens: z.number().int(), tests_passed: z.number().int().nullable(), tests_total: z.number().int().nullable() })),
});

export const DIAGNOSTIC_KINDS = ['q_return', 'td_errors', 'buffer', 'tokens', 'policy', 'queue'] as const;
export type DiagnosticKind = (typeof DIAGNOSTIC_KINDS)[number];

const row = <K extends DiagnosticKind, D extends z.ZodType>(kind: K, data: D) =>
  z.object({ kind: z.literal(kind), episode: z.number().int(), step: z.number().int(), problem: z.string().nullable(), data });

export const diagnosticSampleSchema = z.discriminatedUnion('kind', [
  row('q_return', qReturnSchema),
  row('td_errors', tdErrorsSchema),
  row('buffer', bufferSchema),
  row('tokens', tokensSchema),
  row('policy', policySchema),
  row('queue', queueSchema),
]);
export type DiagnosticSample = z.infer<typeof diagnosticSampleSchema>;
export type SampleOf<K extends DiagnosticKind> = Extract<DiagnosticSample, { kind: K }>;
