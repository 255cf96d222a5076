import { PolicyNetwork, type PolicyNetworkShape } from '#lab/models/policy-network.ts';
import { Rng, type RngState } from '#lab/random/rng.ts';
import type { Agent, AgentContext, AgentDefinition, ActRow, ActResult, SavedAgent, Transition, UpdateResult } from '../agent.ts';
import { pgConfigOf, pgConfigSchema, type PgConfig } from './pg-config.ts';
import { PgLearner, rolePriorBias, type PgStep } from './pg-learner.ts';

type PgKind = 'pqt' | 'rspg';

interface LaneEpisode {
  problem: number;
  nodes: string[];
  chosen: number[];
  probabilities: number[];
}

interface SavedPg {
  network: { shape: PolicyNetworkShape; steps: number };
  config: PgConfig;
  rng: RngState;
  learner: ReturnType<PgLearner['snapshot']>['meta'];
  /** Losses of updates not yet reported (an update at an episode's end is reported at the next train call). */
  pendingLosses?: number[];
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
  private program: readonly number[] | undefined;
  private losses: number[] = [];
  /**
   * Each environment lane's episode: its problem and its sampled decisions (prefix keys, tokens,
   * probabilities, for sampling without replacement). Lanes act in lockstep; a lane's transitions
   * arrive together when its episode ends, and are matched to the lane by the tokens chosen.
   */
  private readonly lanes = new Map<number, LaneEpisode>();

  constructor(
    readonly kind: PgKind,
    readonly learner: PgLearner,
    private readonly stateSize: number,
    private readonly actionCount: number,
  ) {}

  beginEpisode(problemIndex: number, lane: number): void {
    this.lanes.set(lane, { problem: problemIndex, nodes: [], chosen: [], probabilities: [] });
  }

  actBatch(states: Float32Array, masks: Uint8Array, rows: readonly ActRow[], epsilon: number): ActResult[] {
    const S = this.stateSize;
    const A = this.actionCount;
    return rows.map((row, i) => {
      const state = states.subarray(i * S, (i + 1) * S);
      const mask = masks.subarray(i * A, (i + 1) * A);
      // epsilon 0 is greedy (evaluation): the most probable token, no random draw.
      if (epsilon === 0) {
        const { action, top } = this.learner.greedy(state, mask);
        return { action, explored: false, topQ: [], probabilities: top };
      }
      const lane = this.lanes.get(row.lane) ?? { problem: 0, nodes: [], chosen: [], probabilities: [] };
      this.lanes.set(row.lane, lane);
      const node = `${lane.problem}|${lane.chosen.join(',')}`;
      const { action, top, probability, entropy } = this.learner.act(state, mask, node);
      lane.nodes.push(node);
      lane.chosen.push(action);
      lane.probabilities.push(probability);
      return { action, explored: true, topQ: [], probabilities: top, probability, entropy };
    });
  }

  observe(t: Transition): void {
    this.steps.push({ state: t.state.slice(), mask: t.mask.slice(), action: t.action });
    this.score += t.correctness ?? 0;
    if (t.program) this.program = t.program;
    if (!t.done) return;
    const actions = this.steps.map((s) => s.action);
    const key = actions.join(' ');
    const entry = [...this.lanes].find(([, l]) => l.chosen.join(' ') === key);
    if (entry) {
      this.lanes.delete(entry[0]);
      this.learner.recordSample(entry[1].nodes, entry[1].chosen, entry[1].probabilities);
    }
    const updates = this.learner.updates;
    this.learner.finish({ steps: this.steps, score: this.score, key, length: this.steps.length, ...(this.program ? { tokens: this.program } : {}) }, entry?.[1].problem ?? 0);
    if (this.learner.updates > updates) this.losses.push(this.learner.lastLoss);
    this.steps = [];
    this.score = 0;
    this.program = undefined;
  }

  bestPrograms(problemIndex: number): readonly { tokens: readonly number[]; score: number }[] {
    return this.learner.best(problemIndex).flatMap((e) => (e.tokens ? [{ tokens: e.tokens, score: e.score }] : []));
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

  restorePendingLosses(losses: readonly number[]): void {
    this.losses = [...losses];
  }

  save(): SavedAgent {
    const { meta, arrays } = this.learner.network.save();
    const learner = this.learner.snapshot();
    const saved: SavedPg = { network: meta, config: this.learner.config, rng: this.learner.rngState(), learner: learner.meta, pendingLosses: [...this.losses] };
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
      const agent = new PgAgent(kind, learner, stateSize, actionCount);
      agent.restorePendingLosses(meta.pendingLosses ?? []);
      return agent as unknown as Agent & { kind: K };
    },
    // Sampling is the exploration: a constant non-zero rate marks training episodes (0 is greedy).
    epsilon: () => 1,
  };
}
