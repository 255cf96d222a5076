import { z } from 'zod';
import { method } from './method.ts';

const ids = { experiment_id: z.number().int().positive(), episode_id: z.number().int().positive() };

export const episodeSummarySchema = z.object({
  /** The row id: stable, what replay links use. */
  id: z.number().int(),
  experiment_id: z.number().int(),
  episode: z.number().int(),
  problem_name: z.string(),
  kind: z.string(),
  total_return: z.number(),
  length: z.number().int(),
  success: z.boolean(),
  tests_passed: z.number().int(),
  tests_total: z.number().int(),
  /** Steps stored for replay (sampled episodes); the others replay as their final program only. */
  steps: z.number().int(),
});
export type EpisodeSummary = z.infer<typeof episodeSummarySchema>;

export const replayFrameSchema = z.object({
  t: z.number().int(),
  action: z.number().int(),
  /** The chosen token as a person reads it, and the tokens the grammar forced after it. */
  token: z.string(),
  forced: z.array(z.string()),
  valid_actions: z.number().int(),
  top_q: z.array(z.object({ action: z.number().int(), token: z.string(), q: z.number() })),
  explored: z.boolean(),
  reward: z.number(),
  reward_parts: z.record(z.string(), z.number()),
  return_so_far: z.number(),
  /** The program after this step, and the span of what this step wrote (offsets into code). */
  code: z.string(),
  span: z.tuple([z.number().int(), z.number().int()]),
});
export type ReplayFrame = z.infer<typeof replayFrameSchema>;

export const episodeReplaySchema = z.object({
  episode: episodeSummarySchema,
  experiment_name: z.string(),
  /**
   * What the per-step top values are: `q` (DQN's Q-values) or `probability` (a policy-gradient
   * agent's action probabilities). Absent in replays of older servers: read as `q`.
   */
  step_values: z.enum(['q', 'probability']).optional(),
  /** The program as stored when the episode ended (what the executor ran). */
  code: z.string(),
  /** Stored verdict names, one per test. */
  verdicts: z.array(z.string()),
  function_name: z.string(),
  parameters: z.array(z.string()),
  /** The empty program (the def line) shown before the first step. */
  start_code: z.string(),
  frames: z.array(replayFrameSchema),
});
export type EpisodeReplay = z.infer<typeof episodeReplaySchema>;

/** One test's outcome for people: Python reprs of the call, the expected and the actual value. */
export const testVerdictSchema = z.object({
  test: z.number().int(),
  kind: z.enum(['pair', 'assert']),
  input: z.string().optional(),
  expected: z.string().optional(),
  actual: z.string().optional(),
  assert: z.string().optional(),
  verdict: z.string(),
  exception: z.string().optional(),
  message: z.string().optional(),
});
export type TestVerdict = z.infer<typeof testVerdictSchema>;

export const testRunSchema = z.object({
  verdict: z.string(),
  passed: z.number().int(),
  total: z.number().int(),
  tests: z.array(testVerdictSchema),
  /** What the program printed, or why it could not run. */
  output: z.string(),
});
export type TestRun = z.infer<typeof testRunSchema>;

export const browsedEpisodeSchema = episodeSummarySchema.extend({
  /** Share of the stored steps that explored (null: the episode was stored without its steps). */
  explore_share: z.number().nullable(),
});
export type BrowsedEpisode = z.infer<typeof browsedEpisodeSchema>;

export const EPISODE_KINDS = ['train', 'greedy', 'eval', 'solve'] as const;
export const EPISODE_ORDERS = ['newest', 'oldest', 'highest_return', 'lowest_return'] as const;

/** The episode browser's filters; every one is optional and they combine (AND). */
export const episodeFilterSchema = z.strictObject({
  experiment_id: z.number().int().positive(),
  problem: z.string().optional(),
  kind: z.enum(EPISODE_KINDS).optional(),
  success: z.boolean().optional(),
  return_min: z.number().optional(),
  return_max: z.number().optional(),
  /** 0-1; episodes stored without steps have no share and drop out when either bound is set. */
  explore_min: z.number().min(0).max(1).optional(),
  explore_max: z.number().min(0).max(1).optional(),
  episode_min: z.number().int().optional(),
  episode_max: z.number().int().optional(),
  order: z.enum(EPISODE_ORDERS).default('newest'),
  limit: z.number().int().min(1).max(500).default(50),
  offset: z.number().int().min(0).default(0),
});
export type EpisodeFilter = z.output<typeof episodeFilterSchema>;

/** One version of a problem's greedy program: what the greedy policy wrote at one evaluation. */
export const programVersionSchema = z.object({
  experiment_id: z.number().int(),
  /** The stored greedy episode (its replay link) and the training episode it was evaluated after. */
  episode_id: z.number().int(),
  episode: z.number().int(),
  code: z.string(),
  success: z.boolean(),
  tests_passed: z.number().int(),
  tests_total: z.number().int(),
  /** Stored verdict names, one per test. */
  verdicts: z.array(z.string()),
  /** Checkpoints taken after this episode (periodic, best, final), if any are still kept. */
  checkpoints: z.array(z.enum(['periodic', 'best', 'final'])),
});
export type ProgramVersion = z.infer<typeof programVersionSchema>;

export const EPISODE_PICKS = ['best', 'latest', 'first_success', 'number'] as const;

/** Stored episodes: lists, the dashboard's shortcuts, token-by-token replay and test verdicts. */
export const episodeMethods = {
  'episodes.list': method(
    z.strictObject({
      experiment_id: ids.experiment_id,
      limit: z.number().int().min(1).max(500).default(50),
      offset: z.number().int().min(0).default(0),
      only_with_steps: z.boolean().default(false),
    }),
    z.object({ total: z.number().int(), items: z.array(episodeSummarySchema) }),
  ),
  /** best: highest return (episodes with steps first); latest; first_success; number: by episode number. */
  'episodes.find': method(
    z.strictObject({ experiment_id: ids.experiment_id, pick: z.enum(EPISODE_PICKS), episode: z.number().int().min(0).optional() }),
    episodeSummarySchema,
  ),
  'episodes.replay': method(z.strictObject(ids), episodeReplaySchema),
  /** Every recorded episode of a run, filtered and paged, with the problems the run has episodes on. */
  'episodes.browse': method(
    episodeFilterSchema,
    z.object({ total: z.number().int(), items: z.array(browsedEpisodeSchema), problems: z.array(z.string()) }),
  ),
  /**
   * A problem's greedy program at each evaluation of a run (oldest first), with its verdicts and
   * the checkpoints taken there: the versions the code diff compares, within a run or across runs.
   */
  'episodes.programs': method(
    z.strictObject({ experiment_id: z.number().int().positive(), problem: z.string().min(1) }),
    z.object({ experiment_id: z.number().int(), experiment_name: z.string(), problem: z.string(), versions: z.array(programVersionSchema) }),
  ),
  /** Runs the episode's final program again (pooled tier) to show input, expected and actual per test. */
  'episodes.verdicts': method(z.strictObject(ids), testRunSchema),
};
