import type { ActResult, Transition } from '#lab/agents/dqn.ts';
import { PolicyNetwork } from '#lab/models/policy-network.ts';
import { Rng, type RngState } from '#lab/random/rng.ts';
import type { CheckpointPayload } from '#lab/training/checkpoint-files.ts';
import type { Policy } from '#lab/training/policies.ts';
import { pgConfigSchema, type PgConfig } from './pg-config.ts';
import { PgLearner, rolePriorBias, type PgStep } from './pg-learner.ts';

export type PgKind = 'pqt' | 'rspg';

/**
 * A policy-gradient agent where the trainer drives episodes (`lab train`): it samples from the
 * policy network (no epsilon: exploration is the policy's own spread and its entropy bonus),
 * collects each episode's decisions, and at the episode's end hands them to the learner with the
 * episode's return as its score. Per step it reports the top tokens' probabilities where DQN reports
 * Q-values.
 */
export class PgPolicy implements Policy {
  readonly kind: PgKind;
  private steps: PgStep[] = [];
  private episodeReturn = 0;
  private problem = 0;
  private losses: number[] = [];

  constructor(
    kind: PgKind,
    readonly learner: PgLearner,
  ) {
    this.kind = kind;
  }

  static create(kind: PgKind, stateSize: number, actionCount: number, seed: number, overrides: Partial<PgConfig> = {}): PgPolicy {
    const config = pgConfigSchema.parse({ update: kind === 'pqt' ? 'pqt' : 'risk_seeking', ...overrides });
    const network = new PolicyNetwork({ inputSize: stateSize, hidden: config.hidden_dim, actions: actionCount }, undefined, seed);
    network.params.b3.set(rolePriorBias().subarray(0, actionCount));
    return new PgPolicy(kind, new PgLearner(network, config, new Rng(seed)));
  }

  static restore(kind: PgKind, payload: CheckpointPayload): PgPolicy {
    const meta = payload.meta as { network: Parameters<typeof PolicyNetwork.restore>[0]; config: unknown; rng: RngState; learner: ReturnType<PgLearner['snapshot']>['meta'] };
    const network = PolicyNetwork.restore(meta.network, payload.arrays);
    const learner = new PgLearner(network, pgConfigSchema.parse(meta.config), Rng.fromState(meta.rng));
    learner.restore(meta.learner, payload.arrays);
    return new PgPolicy(kind, learner);
  }

  beginEpisode(problemIndex: number): void {
    this.problem = problemIndex;
    this.steps = [];
    this.episodeReturn = 0;
  }

  act(state: Float32Array, mask: Uint8Array): ActResult {
    const { action, top } = this.learner.act(state, mask);
    return { action, explored: false, topQ: top };
  }

  greedy(state: Float32Array, mask: Uint8Array): ActResult {
    const { action, top } = this.learner.greedy(state, mask);
    return { action, explored: false, topQ: top };
  }

  observe(t: Transition): void {
    this.steps.push({ state: t.state, mask: t.mask, action: t.action });
    this.episodeReturn += t.reward;
    if (!t.done) return;
    const updates = this.learner.updates;
    const key = this.steps.map((s) => s.action).join(' ');
    this.learner.finish({ steps: this.steps, score: this.episodeReturn, key, length: this.steps.length }, this.problem);
    if (this.learner.updates > updates) this.losses.push(this.learner.lastLoss);
  }

  /** Updates happen at episode ends (observe); this reports the last one's loss once. */
  train(): { loss: number; meanQ: number } | undefined {
    const loss = this.losses.pop();
    this.losses = [];
    return loss === undefined ? undefined : { loss, meanQ: 0 };
  }

  setLearningRate(value: number): void {
    this.learner.setLearningRate(value);
  }

  save(): CheckpointPayload {
    const { meta, arrays } = this.learner.network.save();
    const learner = this.learner.snapshot();
    return { meta: { network: meta, config: this.learner.config, rng: this.learner.rngState(), learner: learner.meta }, arrays: { ...arrays, ...learner.arrays } };
  }

  dispose(): void {}
}
