import { z } from 'zod';
import { agentConfigSchema } from '../agents/agent-kinds.ts';
import { int, num } from '../agents/config-numbers.ts';

/**
 * The training config. Section and key names are the seed's `configs/train_config.yaml` (a file of
 * the seed loads unchanged); keys the seed does not have are marked "ours". Defaults are the seed's.
 * Each key's `.describe` text (with the seed's tuning range) is the help the config editor shows.
 */

export const environmentConfigSchema = z.strictObject({
  max_steps: int(1, 1000).default(50).describe('Maximum actions (tokens) per episode.'),
  vocab_size: int(2, 100_000).default(5000).describe("The seed's token vocabulary size; our grammar has its own action count, see docs/grammar.md."),
  auto_forced: z.boolean().default(true).describe('Ours: write tokens the grammar leaves no choice about (`:` NEWLINE INDENT) without asking the agent.'),
  avoid_repeats: z.boolean().default(false).describe('Ours: training episodes never execute a program twice for one problem: the prefix tree of programs already run masks exhausted subtrees, so every training episode tries a new program (the largest single gain in a prototype, see docs/prototype-findings.md). Greedy evaluation still sees the plain grammar mask, and learning bootstraps over it.'),
  test_timeout_ms: int(10, 60_000).default(1000).describe('Ours: per-test wall-clock budget when the executor runs a finished program, in ms.'),
  state_layout: z
    .enum(['seed', 'signatures'])
    .default('seed')
    .describe("Ours: the state vector. seed: the seed's 256 (problem) + 256 (code) + 8 (metadata) floats. signatures: property signatures of the test examples (types, signs, parity, lengths, whether the output equals, exceeds or contains an input...) follow the problem block, so a network tells problems apart by behaviour, not by their words alone (docs/grammar.md)."),
});

export const rewardConfigSchema = z.strictObject({
  type: z.enum(['code_quality', 'sparse', 'curriculum'], {
    error: 'expected one of code_quality, sparse, curriculum',
  }).default('code_quality').describe('code_quality (weighted parts), sparse (solved or not), curriculum (easy problems first).'),
  correctness_weight: num(0, 1000).default(10.0).describe('Weight of the fraction of tests passed.'),
  quality_weight: num(0, 1000).default(2.0).describe('Weight of code quality.'),
  efficiency_weight: num(0, 1000).default(1.0).describe('Weight of short, efficient programs.'),
  progress_weight: num(0, 1000).default(0.5).describe('Weight of progress towards passing more tests.'),
  preset: z.enum(['default', 'seed']).default('seed').describe('Ours: `seed` scores as the seed describes; `default` counts partial credit only for programs that read a parameter, so constant programs (`return 0`) cannot win it (see docs/prototype-findings.md).'),
});

export const trainingConfigSectionSchema = z.strictObject({
  num_episodes: int(1, 100_000_000).default(5000).describe('Episodes to train (the budget).'),
  save_frequency: int(1, 1_000_000).default(100).describe('Episodes between checkpoints.'),
  eval_frequency: int(1, 1_000_000).default(100).describe('Episodes between greedy evaluations.'),
  log_frequency: int(1, 1_000_000).default(10).describe('Episodes between log lines.'),
  seed: int(0, 2 ** 31 - 1).optional().describe('Ours: random seed; the same seed repeats a run on the same backend.'),
  keep_checkpoints: int(1, 1000).default(3).describe('Ours: checkpoints kept besides the best one (oldest removed first).'),
  solved_problem_weight: num(0, 1).default(1).describe('Ours: how often a problem the last greedy evaluation passed is trained on, relative to one it failed (1: every problem equally, in a seeded shuffle per pass, as the seed does). Below 1 the episodes go mostly to the problems still open.'),
  search_programs: int(0, 100_000).default(0).describe("Ours: search-guided exploration (expert iteration). For each training episode on a problem the last greedy evaluation failed and no training episode has solved yet, up to this many programs proposed by a systematic search (shortest-first enumeration alternating with a local search around the best partial-credit program) are executed without updates, beside the agent's episodes; a pass or a better partial score is then replayed once as a learning episode, and a found solution once for every later episode on the problem. 0: off (the seed's behaviour)."),
  search_local_extra: int(0, 100).default(2).describe('Ours: the local search tries completions up to this many tokens longer than its base program.'),
  num_envs: int(1, 256)
    .default(8)
    .describe(
      'Ours: environments stepped in lockstep, with one batched decision (one forward pass) per step for all of them; updates still run every agent.train_frequency environment steps. 1 steps one episode at a time.',
    ),
  replay_every: int(1, 1_000_000).default(50).describe('Ours: every Nth training episode is stored step by step for replay (plus firsts and greedy runs).'),
  diagnostics: z.boolean().default(true).describe("Ours: record the agent's diagnostics (first-step value against the return, TD-error quantiles, replay-buffer make-up, token frequencies per problem; for agents that sample tokens, entropy and chosen-token probability per step position and the queue of best programs), sampled so they cost under 5% of training throughput (`lab bench train-diagnostics`)."),
  diagnostics_every: int(1, 1_000_000).default(10).describe('Ours: episodes between diagnostics samples: every Nth episode gives a value-against-return point and closes a window of TD errors, buffer make-up, token counts and policy statistics.'),
});

export const dataConfigSchema = z.strictObject({
  train_problems: z.string().default('data/problems/seed-train.json').describe('A problem file or the name of a stored problem set.'),
  eval_problems: z.string().default('data/problems/seed-eval.json').describe('Problems for evaluation: a problem file or the name of a stored problem set.'),
});

export const pathsConfigSchema = z.strictObject({
  log_dir: z.string().default('experiments/logs'),
  model_dir: z.string().default('experiments/models'),
});

export const trainingConfigSchema = z.strictObject({
  environment: environmentConfigSchema.default(environmentConfigSchema.parse({})),
  agent: agentConfigSchema.default(agentConfigSchema.parse({})),
  reward: rewardConfigSchema.default(rewardConfigSchema.parse({})),
  training: trainingConfigSectionSchema.default(trainingConfigSectionSchema.parse({})),
  data: dataConfigSchema.default(dataConfigSchema.parse({})),
  paths: pathsConfigSchema.default(pathsConfigSchema.parse({})),
  verbose: z.boolean().default(true),
  log_frequency: int(1, 1_000_000).optional(),
});

export type TrainingConfig = z.infer<typeof trainingConfigSchema>;
export type TrainingConfigInput = z.input<typeof trainingConfigSchema>;
