import { PolicyNetwork, type PolicyNetworkShape } from '#lab/models/policy-network.ts';
import { Rng, type RngState } from '#lab/random/rng.ts';
import type { Agent, AgentContext, AgentDefinition, ActRow, ActResult, SavedAgent, Transition, UpdateResult } from '../agent.ts';
import { pgConfigOf, pgConfigSchema, type PgConfig } from './pg-config.ts';
import { PgLearner, rolePriorBias, type PgStep } from './pg-learner.ts';

type PgKind = 'pqt' | 'rspg';

interface SavedPg {
  network: { shape: PolicyNetworkShape; steps: number };
  config: PgConfig;
  rng: RngState;
  learner: ReturnType<PgLearner['snapshot']>['meta'];
}

/**
 * A policy-gradient agent: it samples each token from the policy network over the mask (no
 * epsilon: exploration is the policy's own spread and its entropy bonus), collects each episode's
 * decisions, and at the episode's end hands them to the learner, scored by the episode's
 * correctness reward (the fraction of tests passed, as the config's reward counts it). It reports
 * the top tokens' probabilities where DQN reports Q-values.
 */
export class PgAgent implements Agent {
  private steps: PgStep[] = [];
  private score = 0;
  private problem = 0;
  private losses: number[] = [];
  /** This episode's sampled decisions: prefix keys, tokens and their probabilities (sampling without replacement). */
  private nodes: string[] = [];
  private chosen: number[] = [];
  private chosenProbabilities: number[] = [];

  constructor(
    readonly kind: PgKind,
    readonly learner: PgLearner,
    private readonly stateSize: number,
    private readonly actionCount: number,
  ) {}

  beginEpisode(problemIndex: number): void {
    this.problem = problemIndex;
    this.steps = [];
    this.score = 0;
    this.nodes = [];
    this.chosen = [];
    this.chosenProbabilities = [];
  }

  actBatch(states: Float32Array, masks: Uint8Array, rows: readonly ActRow[], epsilon: number): ActResult[] {
    const S = this.stateSize;
    const A = this.actionCount;
    return rows.map((_, i) => {
      const state = states.subarray(i * S, (i + 1) * S);
      const mask = masks.subarray(i * A, (i + 1) * A);
      // epsilon 0 is greedy (evaluation): the most probable token, no random draw.
      if (epsilon === 0) {
        const { action, top } = this.learner.greedy(state, mask);
        return { action, explored: false, topQ: [], probabilities: top };
      }
      const node = `${this.problem}|${this.chosen.join(',')}`;
      const { action, top, probability } = this.learner.act(state, mask, node);
      this.nodes.push(node);
      this.chosen.push(action);
      this.chosenProbabilities.push(probability);
      return { action, explored: true, topQ: [], probabilities: top };
    });
  }

  observe(t: Transition): void {
    this.steps.push({ state: t.state.slice(), mask: t.mask.slice(), action: t.action });
    this.score += t.correctness ?? 0;
    if (!t.done) return;
    this.learner.recordSample(this.nodes, this.chosen, this.chosenProbabilities);
    const updates = this.learner.updates;
    const key = this.steps.map((s) => s.action).join(' ');
    this.learner.finish({ steps: this.steps, score: this.score, key, length: this.steps.length }, this.problem);
    if (this.learner.updates > updates) this.losses.push(this.learner.lastLoss);
  }

  /** Updates happen at episode ends (observe); this reports the latest one once. */
  train(): UpdateResult | undefined {
    const loss = this.losses.pop();
    this.losses = [];
    return loss === undefined ? undefined : { loss, meanQ: NaN };
  }

  setLearningRate(value: number): void {
    this.learner.setLearningRate(value);
  }

  save(): SavedAgent {
    const { meta, arrays } = this.learner.network.save();
    const learner = this.learner.snapshot();
    const saved: SavedPg = { network: meta, config: this.learner.config, rng: this.learner.rngState(), learner: learner.meta };
    return { meta: saved, arrays: { ...arrays, ...learner.arrays } };
  }

  dispose(): void {}
}

/** A fresh policy network for a context: random weights and an output prior by token role. */
export function freshPolicyNetwork(stateSize: number, actionCount: number, hidden: number, seed: number): PolicyNetwork {
  const network = new PolicyNetwork({ inputSize: stateSize, hidden, actions: actionCount }, undefined, seed);
  network.params.b3.set(rolePriorBias().subarray(0, actionCount));
  return network;
}

/** A saved agent that starts from a given network (a pretrained model) with these settings. */
export function savedAgentFrom(network: PolicyNetwork, config: PgConfig, seed: number): SavedAgent {
  const agent = new PgAgent(config.update === 'pqt' ? 'pqt' : 'rspg', new PgLearner(network, config, new Rng(seed)), network.shape.inputSize, network.shape.actions);
  return agent.save();
}

/** The registry entry of a policy-gradient kind. */
export function policyGradientDefinition<K extends PgKind>(kind: K, configSection: AgentDefinition['configSection']): AgentDefinition<K> {
  const update = kind === 'pqt' ? 'pqt' : 'risk_seeking';
  return {
    kind,
    configSection,
    usesNetwork: false, // plain typed arrays, no tfjs backend
    learns: true,
    reports: 'probabilities',
    create: ({ config, stateSize, actionCount, seed }: AgentContext) => {
      const pg = pgConfigOf(config.agent, update);
      return new PgAgent(kind, new PgLearner(freshPolicyNetwork(stateSize, actionCount, pg.hidden_dim, seed), pg, new Rng(seed)), stateSize, actionCount) as unknown as Agent & { kind: K };
    },
    restore: ({ stateSize, actionCount }: AgentContext, saved: SavedAgent) => {
      const meta = saved.meta as Partial<SavedPg> | null;
      if (!meta?.network || !meta.rng || !meta.learner) throw new Error('the checkpoint holds no policy network');
      const network = PolicyNetwork.restore(meta.network, saved.arrays);
      if (network.shape.inputSize !== stateSize) throw new Error(`the policy network takes ${network.shape.inputSize} state values, this environment has ${stateSize} (environment.state_layout)`);
      const learner = new PgLearner(network, pgConfigSchema.parse(meta.config), Rng.fromState(meta.rng));
      learner.restore(meta.learner, saved.arrays);
      return new PgAgent(kind, learner, stateSize, actionCount) as unknown as Agent & { kind: K };
    },
    // Sampling is the exploration: a constant non-zero rate marks training episodes (0 is greedy).
    epsilon: () => 1,
  };
}
