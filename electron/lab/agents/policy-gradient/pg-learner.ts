import { TOKENS } from '#shared/env/token-vocabulary.ts';
import { PolicyNetwork, type PolicyExample } from '#lab/models/policy-network.ts';
import { Rng, type RngState } from '#lab/random/rng.ts';
import type { PgConfig } from './pg-config.ts';

/** One decision of an episode, as the learner stores it. */
export interface PgStep {
  readonly state: Float32Array;
  /** The grammar's mask (not the no-repeat one): the policy is a distribution over the grammar. */
  readonly mask: Uint8Array;
  readonly action: number;
}

export interface PgEpisode {
  readonly steps: readonly PgStep[];
  /** What ranks programs: the fraction of tests passed (0 for a program that reads no parameter). */
  readonly score: number;
  /** The program's tokens, to keep the queue's programs distinct. */
  readonly key: string;
  readonly length: number;
}

export interface PgChoice {
  readonly action: number;
  /** The five most probable valid actions, best first: what replay shows instead of Q-values. */
  readonly top: [action: number, probability: number][];
}

/**
 * The policy-gradient learner: samples actions from the policy network over a mask and updates it
 * from finished episodes, by priority-queue training or risk-seeking policy gradient.
 */
export class PgLearner {
  private readonly queue: PgEpisode[] = [];
  private batch: PgEpisode[] = [];
  private readonly probs: Float32Array<ArrayBuffer>;
  updates = 0;
  lastLoss = 0;

  constructor(
    readonly network: PolicyNetwork,
    readonly config: PgConfig,
    private readonly rng: Rng,
  ) {
    this.probs = new Float32Array(network.shape.actions);
  }

  act(state: Float32Array, mask: Uint8Array): PgChoice {
    const p = this.network.probabilities(state, mask, this.config.temperature, this.probs);
    let r = this.rng.next();
    let action = -1;
    for (let a = 0; a < p.length; a++) {
      if (!mask[a]) continue;
      action = a;
      r -= p[a]!;
      if (r < 0) break;
    }
    return { action, top: topActions(p, mask) };
  }

  greedy(state: Float32Array, mask: Uint8Array): PgChoice {
    const p = this.network.probabilities(state, mask, 1, this.probs);
    const top = topActions(p, mask);
    return { action: top[0]![0], top };
  }

  /** Records a finished episode; updates the network when a batch is complete. */
  finish(episode: PgEpisode): void {
    this.batch.push(episode);
    if (this.config.update === 'pqt') this.enqueue(episode);
    if (this.batch.length < this.config.batch_episodes) return;
    const batch = this.batch;
    this.batch = [];
    if (this.config.update === 'pqt') this.trainQueue();
    else this.trainRiskSeeking(batch);
  }

  /** Keeps the K best distinct programs (ties: the shorter one). Programs scoring 0 teach nothing. */
  private enqueue(e: PgEpisode): void {
    if (e.score <= 0 || this.queue.some((q) => q.key === e.key)) return;
    this.queue.push(e);
    this.queue.sort((a, b) => b.score - a.score || a.length - b.length);
    if (this.queue.length > this.config.pqt_k) this.queue.pop();
  }

  private trainQueue(): void {
    if (this.queue.length === 0) return;
    const examples: PolicyExample[] = this.queue.flatMap((e) => e.steps.map((s) => ({ ...s, weight: 1 })));
    for (let i = 0; i < this.config.pqt_steps; i++) this.lastLoss = this.network.train(examples, this.config.learning_rate, this.config.entropy);
    this.updates++;
  }

  /**
   * The top ceil(epsilon * n) episodes of the batch, each weighted by how far its score is above the
   * baseline: the best score below them (the batch's (1 - epsilon) quantile). Ties give no signal.
   */
  private trainRiskSeeking(batch: PgEpisode[]): void {
    const ranked = [...batch].sort((a, b) => b.score - a.score);
    const k = Math.min(ranked.length - 1, Math.max(1, Math.ceil(this.config.risk_epsilon * ranked.length)));
    if (k < 1) return;
    const baseline = ranked[k]!.score;
    const examples: PolicyExample[] = ranked
      .slice(0, k)
      .filter((e) => e.score > baseline)
      .flatMap((e) => e.steps.map((s) => ({ ...s, weight: e.score - baseline })));
    if (examples.length === 0) return;
    this.lastLoss = this.network.train(examples, this.config.learning_rate, this.config.entropy);
    this.updates++;
  }

  get best(): readonly PgEpisode[] {
    return this.queue;
  }

  rngState(): RngState {
    return this.rng.getState();
  }
}

function topActions(p: Float32Array<ArrayBufferLike>, mask: Uint8Array): [number, number][] {
  const valid: [number, number][] = [];
  for (let a = 0; a < p.length; a++) if (mask[a]) valid.push([a, p[a]!]);
  valid.sort((x, y) => y[1] - x[1]);
  return valid.slice(0, 5).map(([a, v]) => [a, Number(v.toFixed(5))]);
}

/**
 * Output biases for a network that starts from random weights: log-weights by token role in the
 * proportions random search explores with (operands, then tokens that end a line or a bracket),
 * since uniform picks make nearly every program as long as the limit allows (docs/grammar.md).
 */
export function rolePriorBias(): Float32Array {
  const bias = new Float32Array(TOKENS.length);
  TOKENS.forEach((t, a) => {
    bias[a] = t.kind === 'param' ? 2 : t.kind === 'const' || t.kind === 'local' ? 0.7 : ['return', 'NEWLINE', 'DEDENT', 'END', ')', ']'].includes(t.name) ? 1.2 : 0;
  });
  return bias;
}
