import { existsSync } from 'node:fs';
import type { SavedAgent } from '#lab/agents/agent.ts';
import { savedAgentFrom } from '#lab/agents/policy-gradient/pg-agent.ts';
import type { PolicyNetwork } from '#lab/models/policy-network.ts';
import { loadPolicyModel } from '#lab/pretraining/policy-model.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';

export interface PretrainedStart {
  /** What each problem's agent is restored from (a fresh copy each time). */
  readonly saved: SavedAgent;
  /** The config with the environment the model was trained for (max_steps, the signatures layout). */
  readonly config: TrainingConfig;
  /** The pretrained network itself, for searches that score with it (best-first). */
  readonly network: PolicyNetwork;
}

/** The pretrained agent's starting point: the model in `modelDir` as a saved pqt agent. */
export function pretrainedStart(modelDir: string, config: TrainingConfig, seed: number): PretrainedStart {
  if (!existsSync(modelDir)) throw new Error(`no pretrained policy at ${modelDir}: make one with \`lab pretrain\` (docs/pretraining.md)`);
  const model = loadPolicyModel(modelDir);
  return {
    // Sampling without replacement: a solve run never repeats a program, so the policy's mass moves on.
    saved: savedAgentFrom(model.network, { ...model.meta.pg, unique: true }, seed),
    network: model.network,
    config: { ...config, environment: { ...config.environment, max_steps: model.meta.max_steps, state_layout: model.meta.state_layout } },
  };
}
