import { TOKENS } from '#shared/env/token-vocabulary.ts';
import { PolicyNetwork, type PolicyExample } from '#lab/models/policy-network.ts';
import { Rng, type RngState } from '#lab/random/rng.ts';
import type { PgConfig } from './pg-config.ts';

/** Bounds the memory of sampling without replacement (a solve run visits far fewer prefixes). */
const MAX_SAMPLED_NODES = 200_000;

interface SnapshotEpisode {
  problem: number | null;
  score: number;
  key: string;
  length: number;
  steps: number;
  tokens?: number[];
}

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
  /** The program's decisions, to keep the queue's programs distinct. */
  readonly key: string;
  readonly length: number;
  /** The program's tokens, auto-written ones included (what the queue's programs print as). */
  readonly tokens?: readonly number[];
}

export interface PgChoice {
  readonly action: number;
  /** The five most probable valid actions, best first: what replay shows instead of Q-values. */
  readonly top: [action: number, probability: number][];
}

/** A sampled choice, with what diagnostics read of the distribution it came from. */
export interface PgSample extends PgChoice {
  /** The policy's probability of the drawn token (before sampling without replacement reweights it). */
  readonly probability: number;
  /** The policy's entropy over the valid tokens, in nats. */
  readonly entropy: number;
}

/**
 * The policy-gradient learner: samples actions from the policy network over a mask and updates it
 * from finished episodes, by priority-queue training or risk-seeking policy gradient.
 */
export class PgLearner {
  /** The priority queue of each problem (solve has one problem; training many). */
  private readonly queues = new Map<number, PgEpisode[]>();
  private batch: PgEpisode[] = [];
  private learningRate: number;
  /** Sampling without replacement (config.unique): prefix key -> mass already sampled per token. */
  private readonly sampled = new Map<string, Float64Array>();
  private readonly probs: Float32Array<ArrayBuffer>;
  updates = 0;
  lastLoss = 0;

  constructor(
    readonly network: PolicyNetwork,
    readonly config: PgConfig,
    private readonly rng: Rng,
  ) {
    this.probs = new Float32Array(network.shape.actions);
    this.learningRate = config.learning_rate;
  }

  setLearningRate(value: number): void {
    this.learningRate = value;
  }

  /**
   * Samples a token. With `node` (a prefix's key) and the config's `unique`, sampling is without
   * replacement at the level of whole programs (UniqueRandomizer, Shi et al. 2020): each token's
   * probability is reduced by the probability mass of the programs already sampled through it, so a
   * prefix whose likely completions were all tried stops drawing samples into its unlikely tail.
   */
  act(state: Float32Array, mask: Uint8Array, node?: string): PgSample {
    const p = this.network.probabilities(state, mask, this.config.temperature, this.probs);
    const used = node !== undefined && this.config.unique ? this.sampled.get(node) : undefined;
    let total = 0;
    let entropy = 0;
    for (let a = 0; a < p.length; a++) {
      if (!mask[a]) continue;
      total += used ? Math.max(p[a]! - used[a]!, 0) : p[a]!;
      if (p[a]! > 0) entropy -= p[a]! * Math.log(p[a]!);
    }
    // Everything under this prefix was sampled (by the model's own account): plain sampling.
    const weight = (a: number) => (used && total > 1e-12 ? Math.max(p[a]! - used[a]!, 0) : p[a]!);
    if (!(total > 1e-12)) total = 1;
    let r = this.rng.next() * total;
    let action = -1;
    for (let a = 0; a < p.length; a++) {
      if (!mask[a]) continue;
      action = a;
      r -= weight(a);
      if (r < 0) break;
    }
    return { action, top: topActions(p, mask), probability: p[action]!, entropy };
  }

  /**
   * Records a sampled program for sampling without replacement: at each of its prefixes (`nodes`),
   * the chosen token's used mass grows by the program's probability given that prefix.
   */
  recordSample(nodes: readonly string[], actions: readonly number[], probabilities: readonly number[]): void {
    if (!this.config.unique) return;
    let suffix = 1;
    for (let i = nodes.length - 1; i >= 0; i--) {
      suffix *= probabilities[i]!;
      let used = this.sampled.get(nodes[i]!);
      if (!used) {
        if (this.sampled.size >= MAX_SAMPLED_NODES) return;
        used = new Float64Array(this.network.shape.actions);
        this.sampled.set(nodes[i]!, used);
      }
      used[actions[i]!]! += suffix;
    }
  }

  greedy(state: Float32Array, mask: Uint8Array): PgChoice {
    const p = this.network.probabilities(state, mask, 1, this.probs);
    const top = topActions(p, mask);
    return { action: top[0]![0], top };
  }

  /** Records a finished episode; updates the network when a batch is complete. */
  finish(episode: PgEpisode, problem = 0): void {
    this.batch.push(episode);
    if (this.config.update === 'pqt') this.enqueue(episode, problem);
    if (this.batch.length < this.config.batch_episodes) return;
    const batch = this.batch;
    this.batch = [];
    if (this.config.update === 'pqt') this.trainQueue();
    else this.trainRiskSeeking(batch);
  }

  /** Keeps the K best distinct programs (ties: the shorter one). Programs scoring 0 teach nothing. */
  private enqueue(e: PgEpisode, problem: number): void {
    const queue = this.queues.get(problem) ?? [];
    this.queues.set(problem, queue);
    if (e.score <= 0 || queue.some((q) => q.key === e.key)) return;
    queue.push(e);
    queue.sort((a, b) => b.score - a.score || a.length - b.length);
    if (queue.length > this.config.pqt_k) queue.pop();
  }

  private trainQueue(): void {
    const examples: PolicyExample[] = [...this.queues.values()].flat().flatMap((e) => e.steps.map((s) => ({ ...s, weight: 1 })));
    if (examples.length === 0) return;
    for (let i = 0; i < this.config.pqt_steps; i++) this.lastLoss = this.network.train(examples, this.learningRate, this.config.entropy);
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
    this.lastLoss = this.network.train(examples, this.learningRate, this.config.entropy);
    this.updates++;
  }

  /** The queue of a problem, best first. */
  best(problem = 0): readonly PgEpisode[] {
    return this.queues.get(problem) ?? [];
  }

  /**
   * Everything a resumed run needs besides the network: the queues (decisions as flat arrays) and
   * the episodes of the batch in progress, so a resumed run updates exactly as the original would.
   */
  snapshot(): { meta: { episodes: SnapshotEpisode[]; updates: number; learningRate: number }; arrays: Record<string, Float32Array | Uint8Array | Int32Array> } {
    const all: [number | null, PgEpisode][] = [...[...this.queues].flatMap(([p, q]) => q.map((e) => [p, e] as [number, PgEpisode])), ...this.batch.map((e) => [null, e] as [null, PgEpisode])];
    const states: Float32Array[] = [];
    const masks: Uint8Array[] = [];
    const actions: number[] = [];
    const episodes = all.map(([problem, e]) => {
      for (const s of e.steps) (states.push(s.state), masks.push(s.mask), actions.push(s.action));
      return { problem, score: e.score, key: e.key, length: e.length, steps: e.steps.length, ...(e.tokens ? { tokens: [...e.tokens] } : {}) };
    });
    const concat = <T extends Float32Array | Uint8Array>(parts: T[], make: (n: number) => T) => {
      const out = make(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) (out.set(p, at), (at += p.length));
      return out;
    };
    return {
      meta: { episodes, updates: this.updates, learningRate: this.learningRate },
      arrays: { pg_states: concat(states, (n) => new Float32Array(n)), pg_masks: concat(masks, (n) => new Uint8Array(n)), pg_actions: Int32Array.from(actions) },
    };
  }

  restore(meta: { episodes: SnapshotEpisode[]; updates: number; learningRate: number }, arrays: Record<string, unknown>): void {
    const states = arrays.pg_states as Float32Array;
    const masks = arrays.pg_masks as Uint8Array;
    const actions = arrays.pg_actions as Int32Array;
    const n = this.network.shape.inputSize;
    const a = this.network.shape.actions;
    let k = 0;
    for (const e of meta.episodes) {
      const steps: PgStep[] = [];
      for (let i = 0; i < e.steps; i++, k++) steps.push({ state: states.slice(k * n, (k + 1) * n), mask: masks.slice(k * a, (k + 1) * a), action: actions[k]! });
      const episode = { steps, score: e.score, key: e.key, length: e.length, ...(e.tokens ? { tokens: e.tokens } : {}) };
      if (e.problem === null) this.batch.push(episode);
      else this.queues.set(e.problem, [...(this.queues.get(e.problem) ?? []), episode]);
    }
    this.updates = meta.updates;
    this.learningRate = meta.learningRate;
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
