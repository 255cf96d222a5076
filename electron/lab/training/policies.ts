import { DqnAgent, dqnConfig, type ActResult, type DqnCheckpoint, type Transition } from '#lab/agents/dqn.ts';
import { Rng, type RngState } from '#lab/random/rng.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import { TOKENS } from '#shared/env/token-vocabulary.ts';
import type { CheckpointPayload } from './checkpoint-files.ts';
import { ProgramEnumerator } from './program-enumerator.ts';

/**
 * What the training loop drives: DQN, or a baseline that uses the same environment and the same
 * accounting of executed programs (random search, enumeration by length), so that runs compare.
 */
export interface Policy {
  readonly kind: 'dqn' | 'random' | 'enumerate';
  /** Called at each episode start with the problem chosen. */
  beginEpisode(problemIndex: number): void;
  act(state: Float32Array, mask: Uint8Array, epsilon: number, position: number): ActResult;
  greedy(state: Float32Array, mask: Uint8Array): ActResult;
  observe(t: Transition): void;
  train(): { loss: number; meanQ: number } | undefined;
  setLearningRate(value: number): void;
  save(): CheckpointPayload;
  dispose(): void;
}

const LEAF = TOKENS.map((t) => t.kind === 'param' || t.kind === 'local' || t.kind === 'const');

/**
 * Exploration weights that give leaves (parameters, locals, constants) `leafShare` of the mass when
 * one is valid. Uniform picks over tokens make nearly every program as long as the limit allows:
 * `a + b` came up once in 10,000 tries in the prototype, and a leaf half the time fixed it.
 */
export function leafWeights(mask: Uint8Array, leafShare: number): Float32Array | undefined {
  if (leafShare <= 0) return undefined;
  let leaves = 0;
  let others = 0;
  for (let a = 0; a < mask.length; a++) if (mask[a]) LEAF[a] ? leaves++ : others++;
  if (leaves === 0 || others === 0) return undefined;
  const weights = new Float32Array(mask.length);
  for (let a = 0; a < mask.length; a++) if (mask[a]) weights[a] = LEAF[a] ? leafShare / leaves : (1 - leafShare) / others;
  return weights;
}

function pickWeighted(rng: Rng, mask: Uint8Array, weights: Float32Array | undefined): number {
  let total = 0;
  for (let a = 0; a < mask.length; a++) if (mask[a]) total += weights ? weights[a]! : 1;
  let r = rng.next() * total;
  let last = -1;
  for (let a = 0; a < mask.length; a++) {
    if (!mask[a]) continue;
    last = a;
    r -= weights ? weights[a]! : 1;
    if (r < 0) return a;
  }
  return last;
}

export class DqnPolicy implements Policy {
  readonly kind = 'dqn';
  constructor(
    readonly agent: DqnAgent,
    private readonly leafShare: number,
  ) {}

  static create(config: TrainingConfig, stateSize: number, actionCount: number, seed: number): DqnPolicy {
    const a = config.agent;
    const agent = new DqnAgent(
      dqnConfig({
        state_size: stateSize,
        action_count: actionCount,
        learning_rate: a.learning_rate,
        gamma: a.gamma,
        buffer_capacity: a.buffer_capacity,
        batch_size: a.batch_size,
        hidden_dim: a.hidden_dim,
        hidden_layers: a.hidden_layers,
        dropout: a.dropout,
        target_update: a.target_update,
        double_dqn: a.double_dqn,
        dueling: a.dueling,
        prioritized_replay: a.prioritized_replay,
        n_step: a.n_step,
        loss: a.loss,
        learning_starts: Math.max(a.learning_starts, a.batch_size),
        seed,
      }),
    );
    return new DqnPolicy(agent, a.explore_leaf_share);
  }

  static restore(payload: CheckpointPayload, leafShare: number): DqnPolicy {
    const { json } = payload.meta as { json: DqnCheckpoint['json'] };
    return new DqnPolicy(DqnAgent.restore({ json, arrays: payload.arrays as DqnCheckpoint['arrays'] }), leafShare);
  }

  beginEpisode(): void {}
  act(state: Float32Array, mask: Uint8Array, epsilon: number): ActResult {
    return this.agent.act(state, mask, epsilon, leafWeights(mask, this.leafShare));
  }
  greedy(state: Float32Array, mask: Uint8Array): ActResult {
    return this.agent.act(state, mask, 0);
  }
  observe(t: Transition): void {
    this.agent.observe(t);
  }
  train() {
    return this.agent.trainStep();
  }
  setLearningRate(value: number): void {
    this.agent.setLearningRate(value);
  }
  save(): CheckpointPayload {
    const checkpoint = this.agent.save();
    return { meta: { json: checkpoint.json }, arrays: checkpoint.arrays };
  }
  dispose(): void {
    this.agent.dispose();
  }
}

/** Random search over the masked actions (leaf-biased like DQN's exploration when configured). */
export class RandomPolicy implements Policy {
  readonly kind = 'random';
  constructor(
    private rng: Rng,
    private readonly leafShare: number,
  ) {}
  static restore(payload: CheckpointPayload, leafShare: number): RandomPolicy {
    return new RandomPolicy(Rng.fromState((payload.meta as { rng: RngState }).rng), leafShare);
  }
  beginEpisode(): void {}
  act(_state: Float32Array, mask: Uint8Array): ActResult {
    return { action: pickWeighted(this.rng, mask, leafWeights(mask, this.leafShare)), explored: true, topQ: [] };
  }
  greedy(state: Float32Array, mask: Uint8Array): ActResult {
    return this.act(state, mask);
  }
  observe(): void {}
  train() {
    return undefined;
  }
  setLearningRate(): void {}
  save(): CheckpointPayload {
    return { meta: { rng: this.rng.getState() }, arrays: {} };
  }
  dispose(): void {}
}

/**
 * Enumeration of programs by length: each episode on a problem writes that problem's next program
 * in order of token count, so short programs are all tried before any longer one.
 */
export class EnumerationPolicy implements Policy {
  readonly kind = 'enumerate';
  private plan: readonly number[] = [];
  constructor(private readonly enumerators: ProgramEnumerator[]) {}
  beginEpisode(problemIndex: number): void {
    this.plan = this.enumerators[problemIndex]!.next() ?? [];
  }
  act(_state: Float32Array, mask: Uint8Array, _epsilon: number, position: number): ActResult {
    const planned = this.plan[position];
    // When every program of the length limit was tried, fall back to the first valid token.
    const action = planned !== undefined && mask[planned] ? planned : mask.indexOf(1);
    return { action, explored: false, topQ: [] };
  }
  greedy(state: Float32Array, mask: Uint8Array): ActResult {
    return this.act(state, mask, 0, 0);
  }
  observe(): void {}
  train() {
    return undefined;
  }
  setLearningRate(): void {}
  save(): CheckpointPayload {
    return { meta: { produced: this.enumerators.map((e) => e.produced) }, arrays: {} };
  }
  restoreProgress(produced: readonly number[]): void {
    this.enumerators.forEach((e, i) => e.skip(produced[i] ?? 0));
  }
  dispose(): void {}
}
