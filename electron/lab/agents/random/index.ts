import { Rng, type RngState } from '#lab/random/rng.ts';
import { randomConfigSection } from '#shared/agents/random-config.ts';
import type { Agent, AgentDefinition, ActRow, ActResult, SavedAgent } from '../agent.ts';
import { explorationShares, explorationWeights, topProbabilities, type ExplorationShares } from '../exploration.ts';

/** Random search over the masked actions, weighted by token role like DQN's exploration. */
class RandomAgent implements Agent {
  readonly kind = 'random';
  constructor(
    private readonly rng: Rng,
    private readonly shares: ExplorationShares,
    private readonly actionCount: number,
  ) {}
  beginEpisode(): void {}
  actBatch(_states: Float32Array, masks: Uint8Array, rows: readonly ActRow[]): ActResult[] {
    const A = this.actionCount;
    return rows.map((_, i) => {
      const mask = masks.subarray(i * A, (i + 1) * A);
      const weights = explorationWeights(mask, this.shares);
      return { action: this.rng.pickWeighted(mask, weights), explored: true, topQ: [], probabilities: topProbabilities(mask, weights) };
    });
  }
  observe(): void {}
  train() {
    return undefined;
  }
  setLearningRate(): void {}
  save(): SavedAgent {
    return { meta: { rng: this.rng.getState() }, arrays: {} };
  }
  dispose(): void {}
}

export const randomDefinition: AgentDefinition<'random'> = {
  kind: 'random',
  configSection: randomConfigSection,
  usesNetwork: false,
  learns: false,
  reports: 'probabilities',
  create: ({ config, seed, actionCount }) => new RandomAgent(new Rng(seed), explorationShares(config.agent), actionCount),
  restore({ config, actionCount }, saved) {
    const rng = (saved.meta as { rng?: RngState } | null)?.rng;
    if (!rng) throw new Error('the checkpoint holds no random-search state');
    return new RandomAgent(Rng.fromState(rng), explorationShares(config.agent), actionCount);
  },
  // Every pick is a draw: the schedule is flat.
  epsilon: () => 1,
};
