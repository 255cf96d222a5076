import { existsSync } from 'node:fs';
import { pgConfigSchema, type PgConfig } from '#lab/agents/policy-gradient/pg-config.ts';
import { rolePriorBias } from '#lab/agents/policy-gradient/pg-learner.ts';
import { stateSizeOf } from '#lab/env/state-encoding.ts';
import { PolicyNetwork } from '#lab/models/policy-network.ts';
import { loadPolicyModel } from '#lab/pretraining/policy-model.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import { TOKEN_COUNT } from '#shared/env/token-vocabulary.ts';
import type { SolveAgent } from './solve.ts';

export interface PolicyAgentSetup {
  readonly byAgent: Map<SolveAgent, { network: () => PolicyNetwork; pg: PgConfig }>;
  /** The program length the pretrained model was trained for, when it is used. */
  readonly maxSteps?: number;
}

/**
 * The networks the policy agents start each problem from: `pretrained` a copy of the model in
 * `modelDir`; `pqt` and `rspg` fresh networks (random weights plus a prior that favours operands and
 * closing tokens, like random search's exploration shares) with their update rule.
 */
export function policyAgents(agents: readonly SolveAgent[], modelDir: string, config: TrainingConfig): PolicyAgentSetup {
  const byAgent = new Map<SolveAgent, { network: () => PolicyNetwork; pg: PgConfig }>();
  let maxSteps: number | undefined;
  if (agents.includes('pretrained')) {
    if (!existsSync(modelDir)) throw new Error(`no pretrained policy at ${modelDir}: make one with \`lab pretrain\` (docs/pretraining.md)`);
    const model = loadPolicyModel(modelDir);
    maxSteps = model.meta.max_steps;
    byAgent.set('pretrained', { network: () => model.network.clone(), pg: model.meta.pg });
  }
  const fresh = (update: PgConfig['update'], seed: number) => {
    const pg = pgConfigSchema.parse({ update });
    return {
      pg,
      network: () => {
        const net = new PolicyNetwork({ inputSize: stateSizeOf('signatures'), hidden: pg.hidden_dim, actions: TOKEN_COUNT }, undefined, seed);
        net.params.b3.set(rolePriorBias());
        return net;
      },
    };
  };
  if (agents.includes('pqt')) byAgent.set('pqt', fresh('pqt', config.training.seed ?? 1));
  if (agents.includes('rspg')) byAgent.set('rspg', fresh('risk_seeking', config.training.seed ?? 1));
  return { byAgent, ...(maxSteps === undefined ? {} : { maxSteps }) };
}
