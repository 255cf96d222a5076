import { z } from 'zod';
import { int, num } from './config-numbers.ts';
import { explorationConfigShape } from './exploration-config.ts';

/**
 * DQN's keys in the config's `agent` section: the seed's names and defaults, plus ours beside them.
 * The single source of DQN's defaults: the agent, the trainer and the config editor all read these.
 */
export const dqnConfigSection = z.strictObject({
  learning_rate: num(1e-7, 1).default(0.0001).describe("Step size for gradient descent. Seed's range: 1e-5 to 1e-3."),
  gamma: num(0, 1).default(0.99).describe("Discount factor for future rewards. Seed's range: 0.95 to 0.99."),
  epsilon_start: num(0, 1).default(1.0).describe('Exploration rate at the first episode.'),
  epsilon_end: num(0, 1).default(0.01).describe('Lowest exploration rate.'),
  epsilon_decay: num(0, 1).default(0.995).describe("Multiplicative decay of the exploration rate per episode. Seed's range: 0.99 to 0.999."),
  buffer_capacity: int(1, 10_000_000).default(50_000).describe("Replay buffer size (oldest transitions overwritten). Seed's range: 10k to 100k."),
  batch_size: int(1, 4096).default(64).describe("Mini-batch size. Seed's range: 32 to 128."),
  hidden_dim: int(1, 8192).default(512).describe("Width of the hidden layers. Seed's range: 256 to 1024."),
  double_dqn: z.boolean().default(false).describe('Ours: Double DQN target: the online network picks the next action (over valid ones), the target network values it.'),
  dueling: z.boolean().default(false).describe("Ours: dueling value/advantage heads (the seed's DuelingQNetwork); the advantage mean is over valid actions."),
  prioritized_replay: z.boolean().default(false).describe('Ours: proportional prioritized replay with a sum tree.'),
  per_alpha: num(0, 1).default(0.6).describe('Ours: prioritized replay exponent: 0 samples uniformly, 1 fully proportional to |TD error|.'),
  per_beta: num(0, 1).default(0.4).describe('Ours: prioritized replay importance-sampling exponent at the first update, annealed linearly to 1.'),
  per_beta_updates: int(1, 100_000_000).default(100_000).describe('Ours: updates over which per_beta anneals to 1.'),
  per_epsilon: num(0, 1).default(1e-6).describe("Ours: added to |TD error| so no transition's priority is zero."),
  n_step: int(1, 50).default(1).describe("Ours: n-step returns; windows never cross an episode's end."),
  target_update: int(1, 1_000_000).default(10).describe('Ours: episodes between target network syncs.'),
  hidden_layers: int(1, 8).default(2).describe('Ours: hidden layers of the Q-network (the seed has 2).'),
  dropout: num(0, 0.9).default(0).describe('Ours: dropout after each hidden layer while training (the seed uses it; DQN usually does not).'),
  learning_starts: int(1, 10_000_000).default(1000).describe('Ours: transitions stored before the first update (at least batch_size).'),
  train_frequency: int(1, 1000).default(1).describe('Ours: environment steps per gradient update (counted over all parallel environments).'),
  loss: z.enum(['huber', 'mse']).default('mse').describe('Ours: TD loss, huber (SB3, Dopamine) or mse (the seed, CleanRL).'),
  ...explorationConfigShape,
  explore_temperature: num(0, 1000)
    .default(0)
    .describe(
      "Ours: > 0 makes DQN's exploratory picks Boltzmann over Q at this temperature, times the role weights (0: the role weights alone, the usual epsilon-greedy).",
    ),
  mc_lower_bound: z
    .boolean()
    .default(false)
    .describe(
      'Ours: lower-bound targets. The TD target is max(bootstrapped target, the return the episode actually collected from there): in a deterministic environment that return bounds Q* from below, so a program that passed once lifts its whole prefix at once.',
    ),
  success_buffer: int(0, 10_000_000).default(0).describe('Ours: transitions kept from episodes whose program passed every test (0: no success buffer).'),
  success_fraction: num(0, 0.9).default(0.25).describe('Ours: share of each batch drawn from the success buffer once it holds anything.'),
});

export type DqnSettings = z.infer<typeof dqnConfigSection>;
