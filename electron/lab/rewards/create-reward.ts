import type { TrainingConfig } from '#shared/config/training-config.ts';
import { CodeQualityReward, DEFAULT_CODE_QUALITY, SEED_CODE_QUALITY, type CodeQualityOptions } from './code-quality-reward.ts';
import { CurriculumReward } from './curriculum-reward.ts';
import type { RewardFunction } from './reward-function.ts';
import { SparseReward } from './sparse-reward.ts';

/** `default` learns (partial credit needs a parameter read); `seed` is the seed's reward as written. */
export type RewardPreset = 'default' | 'seed';

export const REWARD_PRESETS: Record<RewardPreset, CodeQualityOptions> = {
  default: DEFAULT_CODE_QUALITY,
  seed: SEED_CODE_QUALITY,
};

/** The config's `reward` section; `preset` (ours) picks the code_quality options, default `default`. */
export type RewardConfig = Omit<TrainingConfig['reward'], 'preset'> & { readonly preset?: RewardPreset };

/** The reward a config's `reward` section asks for; `overrides` adjusts the preset's options. */
export function createReward(config: RewardConfig, overrides: Partial<CodeQualityOptions> = {}): RewardFunction {
  const options = { ...REWARD_PRESETS[config.preset ?? 'default'], ...overrides };
  switch (config.type) {
    case 'sparse': return new SparseReward();
    case 'curriculum': return new CurriculumReward(config, options);
    default: return new CodeQualityReward(config, options);
  }
}
