import { z } from 'zod';

/**
 * The training config. Section and key names are the seed's `configs/train_config.yaml` (a file of
 * the seed loads unchanged); keys the seed does not have are marked "ours". Defaults are the seed's.
 * `range` is the seed's tuning table, shown as help in the editor.
 */
const num = (min: number, max: number) => z.number({ error: `expected a number from ${min} to ${max}` }).min(min).max(max);
const int = (min: number, max: number) =>
  z.number({ error: `expected a whole number from ${min} to ${max}` }).int().min(min).max(max);

export const environmentConfigSchema = z.strictObject({
  /** Maximum actions (tokens) per episode. */
  max_steps: int(1, 1000).default(50),
  /** The seed's token vocabulary size; our grammar has its own action count, see docs/grammar.md. */
  vocab_size: int(2, 100_000).default(5000),
  /** Ours: write tokens the grammar leaves no choice about (`:` NEWLINE INDENT) without asking the agent. */
  auto_forced: z.boolean().default(true),
  /**
   * Ours: training episodes never execute a program twice for one problem: the prefix tree of
   * programs already run masks exhausted subtrees, so every training episode tries a new program
   * (the largest single gain in the prototype, DESIGN.md). Greedy evaluation still sees the plain
   * grammar mask, and learning bootstraps over it.
   */
  avoid_repeats: z.boolean().default(false),
  /** Ours: per-test wall-clock budget when the executor runs a finished program, in ms. */
  test_timeout_ms: int(10, 60_000).default(1000),
  /**
   * Ours: the state vector. `seed`: the seed's 256 (problem) + 256 (code) + 8 (metadata) floats.
   * `signatures`: property signatures of the test examples (types, signs, parity, lengths, whether
   * the output equals, exceeds or contains an input...) follow the problem block, so a network can
   * tell problems apart by behaviour, not by their words alone (docs/grammar.md).
   */
  state_layout: z.enum(['seed', 'signatures']).default('seed'),
});

export const agentConfigSchema = z.strictObject({
  /**
   * Agent kind (ours): dqn; pqt (priority-queue training) or rspg (risk-seeking policy gradient),
   * policy-gradient agents that sample from a policy network (learning_rate and hidden_dim apply,
   * epsilon does not); or a baseline that uses the same environment and budget accounting.
   */
  type: z.enum(['dqn', 'pqt', 'rspg', 'random', 'enumerate']).default('dqn'),
  /** Step size for gradient descent. Seed's range: 1e-5 to 1e-3. */
  learning_rate: num(1e-7, 1).default(0.0001),
  /** Discount factor. Seed's range: 0.95 to 0.99. */
  gamma: num(0, 1).default(0.99),
  epsilon_start: num(0, 1).default(1.0),
  epsilon_end: num(0, 1).default(0.01),
  /** Multiplicative decay per episode. Seed's range: 0.99 to 0.999. */
  epsilon_decay: num(0, 1).default(0.995),
  /** Replay buffer size. Seed's range: 10k to 100k. */
  buffer_capacity: int(1, 10_000_000).default(50_000),
  /** Mini-batch size. Seed's range: 32 to 128. */
  batch_size: int(1, 4096).default(64),
  /** Width of the hidden layers. Seed's range: 256 to 1024. */
  hidden_dim: int(1, 8192).default(512),
  /** 'cpu' or 'cuda' in the seed; here 'auto' picks the best tfjs backend that loads. */
  device: z.enum(['auto', 'cpu', 'cuda', 'gpu', 'wasm']).default('auto'),
  /** Ours: Double DQN target (policy argmax, target value). */
  double_dqn: z.boolean().default(false),
  /** Ours: dueling value/advantage heads (the seed's DuelingQNetwork). */
  dueling: z.boolean().default(false),
  /** Ours: proportional prioritized replay. */
  prioritized_replay: z.boolean().default(false),
  /** Ours: n-step returns. */
  n_step: int(1, 50).default(1),
  /** Ours: episodes between target network syncs. */
  target_update: int(1, 1_000_000).default(10),
  /** Ours: hidden layers of the Q-network (the seed has 2). */
  hidden_layers: int(1, 8).default(2),
  /** Ours: dropout after each hidden layer while training (the seed uses it; DQN usually does not). */
  dropout: num(0, 0.9).default(0),
  /** Ours: transitions stored before the first update. */
  learning_starts: int(1, 10_000_000).default(1000),
  /** Ours: environment steps per gradient update. */
  train_frequency: int(1, 1000).default(1),
  /** Ours: TD loss, huber (SB3, Dopamine) or mse (the seed, CleanRL). */
  loss: z.enum(['huber', 'mse']).default('mse'),
  /**
   * Ours: share of exploratory picks that go to a leaf (a parameter, local or constant) when one is
   * valid. Uniform exploration over tokens makes programs as long as the limit allows (DESIGN.md);
   * 0 turns the bias off (uniform over valid tokens, the seed's behaviour).
   */
  explore_leaf_share: num(0, 1).default(0),
  /**
   * Ours: of the leaf share, the part that goes to the problem's parameters when one is valid
   * (constants and locals share the rest); 0 keeps leaves uniform. Programs that read a parameter
   * are the ones that can earn partial credit.
   */
  explore_param_share: num(0, 1).default(0),
  /**
   * Ours: share of the non-leaf exploratory picks that go to a token bringing the program closer to
   * its end (`return` NEWLINE DEDENT END `)` `]` `,`) when one is valid; 0 keeps them uniform. It
   * makes exploratory programs short (length roughly geometric) instead of as long as max_steps.
   */
  explore_close_share: num(0, 1).default(0),
  /**
   * Ours: > 0 makes DQN's exploratory picks Boltzmann over Q at this temperature, times the role
   * weights above (0: the role weights alone, the usual epsilon-greedy). Steers exploration toward
   * continuations that earned partial credit without following the argmax depth first.
   */
  explore_temperature: num(0, 1000).default(0),
  /**
   * Ours: lower-bound targets. Each transition keeps the discounted return its episode collected
   * from there on and the TD target is max(bootstrapped target, that return): in a deterministic
   * environment it bounds Q* from below, so a program that passed once lifts its whole prefix at once.
   */
  mc_lower_bound: z.boolean().default(false),
  /** Ours: transitions kept from episodes whose program passed every test (0: no success buffer). */
  success_buffer: int(0, 10_000_000).default(0),
  /** Ours: share of each batch drawn from the success buffer once it holds anything. */
  success_fraction: num(0, 0.9).default(0.25),
});

export const rewardConfigSchema = z.strictObject({
  type: z.enum(['code_quality', 'sparse', 'curriculum'], {
    error: 'expected one of code_quality, sparse, curriculum',
  }).default('code_quality'),
  correctness_weight: num(0, 1000).default(10.0),
  quality_weight: num(0, 1000).default(2.0),
  efficiency_weight: num(0, 1000).default(1.0),
  progress_weight: num(0, 1000).default(0.5),
  /**
   * Ours: `seed` scores as the seed describes; `default` counts partial credit only for programs
   * that read a parameter, so constant programs (`return 0`) cannot win it (DESIGN.md).
   */
  preset: z.enum(['default', 'seed']).default('seed'),
});

export const trainingConfigSectionSchema = z.strictObject({
  num_episodes: int(1, 100_000_000).default(5000),
  /** Episodes between checkpoints. */
  save_frequency: int(1, 1_000_000).default(100),
  /** Episodes between greedy evaluations. */
  eval_frequency: int(1, 1_000_000).default(100),
  /** Episodes between log lines. */
  log_frequency: int(1, 1_000_000).default(10),
  /** Ours: random seed; the same seed repeats a run on the same backend. */
  seed: int(0, 2 ** 31 - 1).optional(),
  /** Ours: checkpoints kept besides the best one (oldest removed first). */
  keep_checkpoints: int(1, 1000).default(3),
  /**
   * Ours: how often a problem the last greedy evaluation passed is trained on, relative to one it
   * failed (1: every problem equally, in a seeded shuffle per pass, as the seed does). Below 1 the
   * episodes go mostly to the problems still open.
   */
  solved_problem_weight: num(0, 1).default(1),
  /**
   * Ours: search-guided exploration (expert iteration). Before each training episode on a problem
   * the last greedy evaluation failed and no training episode has solved yet, up to this many
   * programs proposed by a systematic search (shortest-first enumeration alternating with a local
   * search around the best partial-credit program) are executed without updates; a pass or a better
   * partial score is then replayed once as a learning episode, and a found solution before every
   * later episode on the problem. 0: off (the seed's behaviour).
   */
  search_programs: int(0, 100_000).default(0),
  /** Ours: the local search tries completions up to this many tokens longer than its base program. */
  search_local_extra: int(0, 100).default(2),
  /** Ours: every Nth training episode is stored step by step for replay (plus firsts and greedy runs). */
  replay_every: int(1, 1_000_000).default(50),
});

export const dataConfigSchema = z.strictObject({
  /** A problem file or the name of a stored problem set. */
  train_problems: z.string().default('data/problems/seed-train.json'),
  eval_problems: z.string().default('data/problems/seed-eval.json'),
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
