import { z } from 'zod';

/**
 * The policy-gradient agents' settings, one schema with its defaults and the reasons for them.
 * `pqt`: priority-queue training (Abolafia et al. 2018): keep the K best distinct programs found so
 * far and train on them with a supervised (log-likelihood) loss. `risk_seeking`: risk-seeking
 * policy gradient (Petersen et al., ICLR 2021): of each batch of episodes, only those at or above
 * the (1 - epsilon) quantile of return count, with the quantile as the baseline.
 */
export const pgConfigSchema = z.strictObject({
  update: z.enum(['pqt', 'risk_seeking']).default('pqt').meta({ description: 'pqt: train on the K best programs so far; risk_seeking: policy gradient on the top quantile of each batch' }),
  hidden_dim: z.number().int().min(8).max(2048).default(256).meta({ description: 'Width of the two hidden layers of the policy network' }),
  learning_rate: z.number().min(1e-7).max(1).default(0.001).meta({ description: 'Adam step size' }),
  temperature: z.number().min(0.05).max(10).default(1).meta({ description: 'Sampling temperature (logits are divided by it)' }),
  batch_episodes: z.number().int().min(1).max(4096).default(16).meta({ description: 'Episodes sampled between two updates' }),
  pqt_k: z.number().int().min(1).max(1000).default(10).meta({ description: 'pqt: distinct programs kept in the priority queue (the paper: 10)' }),
  pqt_steps: z.number().int().min(1).max(100).default(2).meta({ description: 'pqt: Adam steps per update over the queue' }),
  risk_epsilon: z.number().min(0.001).max(1).default(0.05).meta({ description: 'risk_seeking: the top fraction of each batch that is trained on (the paper: 0.05), at least one episode; the best score below them is the baseline' }),
  entropy: z.number().min(0).max(1).default(0.005).meta({ description: 'Entropy bonus weight: keeps the policy from collapsing onto one program early' }),
});
export type PgConfig = z.infer<typeof pgConfigSchema>;
