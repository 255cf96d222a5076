import { z } from 'zod';
import { int, num } from './config-numbers.ts';

/**
 * The policy-gradient agents' keys in the `agent` section, shared by pqt (priority-queue training,
 * Abolafia et al. 2018) and rspg (risk-seeking policy gradient, Petersen et al. 2021). Prefixed so
 * they never collide with DQN's keys of the same meaning and other defaults (docs/pretraining.md).
 */
export const policyGradientConfigShape = {
  pg_hidden_dim: int(8, 2048).default(256).describe('Ours (pqt, rspg): width of the policy network\'s two hidden layers.'),
  pg_learning_rate: num(1e-7, 1).default(0.001).describe('Ours (pqt, rspg): Adam step size of the policy network.'),
  pg_temperature: num(0.05, 10).default(1).describe('Ours (pqt, rspg): sampling temperature (the logits are divided by it).'),
  pg_batch_episodes: int(1, 4096).default(16).describe('Ours (pqt, rspg): episodes sampled between two updates.'),
  pg_queue_size: int(1, 1000).default(10).describe('Ours (pqt): distinct programs kept per problem in the priority queue, ranked by the correctness reward (the paper: 10).'),
  pg_queue_steps: int(1, 100).default(2).describe('Ours (pqt): Adam steps per update over the queue (a supervised, log-likelihood loss).'),
  pg_risk_epsilon: num(0.001, 1).default(0.05).describe('Ours (rspg): the top fraction of each batch that is trained on (the paper: 0.05), at least one episode; the best score below them is the baseline.'),
  pg_entropy: num(0, 1).default(0.005).describe('Ours (pqt, rspg): entropy bonus weight; keeps the policy from collapsing onto one program early.'),
};

export const pqtConfigSection = z.strictObject({ ...policyGradientConfigShape });
export const rspgConfigSection = z.strictObject({ ...policyGradientConfigShape });
