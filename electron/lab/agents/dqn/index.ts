import { dqnConfigSection } from '#shared/agents/dqn-config.ts';
import type { Agent, AgentContext, AgentDefinition, ActRow, ActResult, SavedAgent, SaveOptions, Transition } from '../agent.ts';
import { decayingEpsilon, explorationShares, explorationWeights, type ExplorationShares } from '../exploration.ts';
import { DqnAgent, type DqnCheckpoint } from './dqn-agent.ts';

/** DQN as the run engine drives it: epsilon-greedy acting with role-weighted exploration. */
class DqnRunAgent implements Agent {
  readonly kind = 'dqn';
  constructor(
    readonly dqn: DqnAgent,
    private readonly shares: ExplorationShares,
  ) {}
  beginEpisode(): void {}
  actBatch(states: Float32Array, masks: Uint8Array, rows: readonly ActRow[], epsilon: number): ActResult[] {
    const A = this.dqn.config.action_count;
    const weightsFor = (i: number) => explorationWeights(masks.subarray(i * A, (i + 1) * A), this.shares);
    return this.dqn.actBatch(states, masks, rows.length, epsilon, weightsFor, this.shares.temperature ?? 0);
  }
  observe(t: Transition): void {
    this.dqn.observe(t);
  }
  train() {
    return this.dqn.trainStep();
  }
  setLearningRate(value: number): void {
    this.dqn.setLearningRate(value);
  }
  save(options?: SaveOptions): SavedAgent {
    const checkpoint = this.dqn.save(options);
    return { meta: { json: checkpoint.json }, arrays: checkpoint.arrays };
  }
  dispose(): void {
    this.dqn.dispose();
  }
}

export const dqnDefinition: AgentDefinition<'dqn'> = {
  kind: 'dqn',
  configSection: dqnConfigSection,
  usesNetwork: true,
  learns: true,
  reports: 'q-values',
  create({ config, stateSize, actionCount, seed }: AgentContext) {
    const settings = dqnConfigSection.parse(pick(config.agent, dqnConfigSection.shape));
    const agent = new DqnAgent({ ...settings, learning_starts: Math.max(settings.learning_starts, settings.batch_size), state_size: stateSize, action_count: actionCount, seed });
    return new DqnRunAgent(agent, explorationShares(config.agent));
  },
  restore({ config }: AgentContext, saved: SavedAgent) {
    const meta = saved.meta as { json?: DqnCheckpoint['json'] } | null;
    if (!meta?.json) throw new Error('the checkpoint holds no DQN network');
    return new DqnRunAgent(DqnAgent.restore({ json: meta.json, arrays: saved.arrays as DqnCheckpoint['arrays'] }), explorationShares(config.agent));
  },
  epsilon: (episode, config, override) => decayingEpsilon(episode, config.agent, override),
};

/** The keys of `section` taken from a wider object (the config's `agent` section holds every kind's keys). */
function pick(values: Record<string, unknown>, section: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(section).filter((k) => k in values).map((k) => [k, values[k]]));
}
