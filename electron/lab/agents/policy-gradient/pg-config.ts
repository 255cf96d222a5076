import { z } from 'zod';
import type { AgentConfig } from '#shared/agents/agent-kinds.ts';

/**
 * The learner's settings (what a model folder stores and the learner reads). The config file's
 * keys are the `pg_*` keys of shared/agents/policy-gradient-config.ts, mapped by `pgConfigOf`.
 * `pqt`: keep the K best distinct programs so far and train on them with a supervised loss.
 * `risk_seeking`: only the episodes at or above the batch's (1 - epsilon) quantile count.
 */
export const pgConfigSchema = z.strictObject({
  update: z.enum(['pqt', 'risk_seeking']).default('pqt'),
  hidden_dim: z.number().int().min(8).max(2048).default(256),
  learning_rate: z.number().min(1e-7).max(1).default(0.001),
  temperature: z.number().min(0.05).max(10).default(1),
  batch_episodes: z.number().int().min(1).max(4096).default(16),
  pqt_k: z.number().int().min(1).max(1000).default(10),
  pqt_steps: z.number().int().min(1).max(100).default(2),
  risk_epsilon: z.number().min(0.001).max(1).default(0.05),
  entropy: z.number().min(0).max(1).default(0.005),
  /**
   * Sample whole programs without replacement from the policy (solve's pretrained agent). Its
   * bookkeeping is not checkpointed, so training runs, which must resume exactly, leave it off.
   */
  unique: z.boolean().default(false),
});
export type PgConfig = z.infer<typeof pgConfigSchema>;

/** The learner's settings from the config's `agent` section. */
export function pgConfigOf(agent: AgentConfig, update: PgConfig['update']): PgConfig {
  return pgConfigSchema.parse({
    update,
    hidden_dim: agent.pg_hidden_dim,
    learning_rate: agent.pg_learning_rate,
    temperature: agent.pg_temperature,
    batch_episodes: agent.pg_batch_episodes,
    pqt_k: agent.pg_queue_size,
    pqt_steps: agent.pg_queue_steps,
    risk_epsilon: agent.pg_risk_epsilon,
    entropy: agent.pg_entropy,
  });
}
