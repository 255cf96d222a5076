import type { Rng } from '#lab/random/rng.ts';
import { decodeRows, encodeRows, MAX_SPARSE_WIDTH, type SparseRows } from './sparse-rows.ts';

/** The typed arrays a buffer's checkpoint is made of. */
export type BufferArray = Float32Array | Uint8Array | Uint16Array | Uint32Array | Int32Array;

/**
 * One stored transition, after n-step accumulation. `nextMask` is the valid-action mask of
 * `nextState`: the target's max must range over it only (the bug of tianshou#309 and ray#47537 was
 * to take the max over every action, invalid ones included).
 */
export interface StoredTransition {
  readonly state: Float32Array;
  /** Valid actions of `state` (the dueling mean ranges over them). */
  readonly mask: Uint8Array;
  readonly action: number;
  /** Discounted reward summed over the n-step window. */
  readonly reward: number;
  readonly nextState: Float32Array;
  readonly nextMask: Uint8Array;
  /** gamma^k for a window of k steps that may bootstrap, 0 when it ended the episode. */
  readonly discount: number;
  /**
   * The discounted return actually collected from `state` to the episode's end (a lower bound on
   * Q*(state, action) in a deterministic environment), or -Infinity when not known.
   */
  readonly mcReturn?: number;
}

/**
 * Typed-array ring buffers, one per field, so 50,000 transitions are a handful of allocations the
 * garbage collector never walks (JS objects per transition would be millions of small ones).
 */
export class ReplayBuffer {
  readonly states: Float32Array;
  readonly nextStates: Float32Array;
  readonly masks: Uint8Array;
  readonly nextMasks: Uint8Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  readonly discounts: Float32Array;
  /** Monte Carlo returns (-Infinity where unknown); see StoredTransition.mcReturn. */
  readonly returns: Float32Array;
  /** Where the next transition goes. */
  cursor = 0;
  size = 0;
  /** The states as the last `contents()` encoded them, and the slots written since (1 = written). */
  private encoded: { states: SparseRows; nextStates: SparseRows } | undefined;
  private readonly written: Uint8Array;

  constructor(
    readonly capacity: number,
    readonly stateSize: number,
    readonly actionCount: number,
  ) {
    this.states = new Float32Array(capacity * stateSize);
    this.nextStates = new Float32Array(capacity * stateSize);
    this.masks = new Uint8Array(capacity * actionCount);
    this.nextMasks = new Uint8Array(capacity * actionCount);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.discounts = new Float32Array(capacity);
    this.returns = new Float32Array(capacity);
    this.written = new Uint8Array(capacity);
  }

  /** Stores a transition and returns its slot. */
  add(t: StoredTransition): number {
    const i = this.cursor;
    this.states.set(t.state, i * this.stateSize);
    this.nextStates.set(t.nextState, i * this.stateSize);
    this.masks.set(t.mask, i * this.actionCount);
    this.nextMasks.set(t.nextMask, i * this.actionCount);
    this.actions[i] = t.action;
    this.rewards[i] = t.reward;
    this.discounts[i] = t.discount;
    this.returns[i] = t.mcReturn ?? -Infinity;
    this.written[i] = 1;
    this.cursor = (i + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
    return i;
  }

  /** Copies the given slots into contiguous row-major batch arrays. */
  gather(indices: Int32Array) {
    const { stateSize: S, actionCount: A } = this;
    const n = indices.length;
    const batch = {
      states: new Float32Array(n * S),
      nextStates: new Float32Array(n * S),
      masks: new Uint8Array(n * A),
      nextMasks: new Uint8Array(n * A),
      actions: new Int32Array(n),
      rewards: new Float32Array(n),
      discounts: new Float32Array(n),
      returns: new Float32Array(n),
    };
    indices.forEach((i, b) => {
      batch.states.set(this.states.subarray(i * S, (i + 1) * S), b * S);
      batch.nextStates.set(this.nextStates.subarray(i * S, (i + 1) * S), b * S);
      batch.masks.set(this.masks.subarray(i * A, (i + 1) * A), b * A);
      batch.nextMasks.set(this.nextMasks.subarray(i * A, (i + 1) * A), b * A);
      batch.actions[b] = this.actions[i]!;
      batch.rewards[b] = this.rewards[i]!;
      batch.discounts[b] = this.discounts[i]!;
      batch.returns[b] = this.returns[i]!;
    });
    return batch;
  }

  /**
   * The filled part of every field (a checkpoint need not hold the empty tail): the states as
   * sparse rows (sparse-rows.ts, about a fifth of the bytes), the rest as views of the live arrays
   * (write them before the next `add`).
   */
  contents(): Record<string, BufferArray> {
    const n = this.size;
    const out: Record<string, BufferArray> = {
      masks: this.masks.subarray(0, n * this.actionCount),
      nextMasks: this.nextMasks.subarray(0, n * this.actionCount),
      actions: this.actions.subarray(0, n),
      rewards: this.rewards.subarray(0, n),
      discounts: this.discounts.subarray(0, n),
      returns: this.returns.subarray(0, n),
    };
    if (this.stateSize > MAX_SPARSE_WIDTH) return { ...out, states: this.states.subarray(0, n * this.stateSize), nextStates: this.nextStates.subarray(0, n * this.stateSize) };
    // Periodic checkpoints re-encode only the slots written since the last one.
    const encode = (key: 'states' | 'nextStates') => encodeRows(this[key], n, this.stateSize, this.encoded && { previous: this.encoded[key], written: this.written });
    this.encoded = { states: encode('states'), nextStates: encode('nextStates') };
    this.written.fill(0);
    for (const key of ['states', 'nextStates'] as const) {
      const sparse = this.encoded[key];
      Object.assign(out, { [`${key}.offsets`]: sparse.offsets, [`${key}.columns`]: sparse.columns, [`${key}.values`]: sparse.values });
    }
    return out;
  }

  /** Fills the buffer from `contents()` (or the dense states of older checkpoints). */
  restore(contents: Record<string, BufferArray>, size: number, cursor: number): void {
    const need = (key: string) => {
      const data = contents[key];
      if (!data) throw new Error(`replay buffer checkpoint lacks '${key}'`);
      return data;
    };
    for (const key of ['states', 'nextStates'] as const) {
      if (contents[key]) this[key].set(contents[key] as Float32Array);
      else decodeRows(this[key], this.stateSize, { offsets: need(`${key}.offsets`) as Uint32Array, columns: need(`${key}.columns`) as Uint16Array, values: need(`${key}.values`) as Uint32Array });
    }
    for (const key of ['masks', 'nextMasks', 'actions', 'rewards', 'discounts'] as const) (this[key] as BufferArray).set(need(key) as never);
    // Checkpoints from before Monte Carlo returns were kept have none: unknown everywhere.
    if (contents.returns) this.returns.set(contents.returns as Float32Array);
    else this.returns.fill(-Infinity);
    this.size = size;
    this.cursor = cursor;
    this.encoded = undefined;
  }
}

/**
 * A sum tree over `capacity` priorities: O(log n) update and prefix-sum search, for proportional
 * prioritized replay (Schaul et al. 2016). Float64 sums so thousands of updates do not drift.
 */
export class SumTree {
  private readonly leaves: number;
  private readonly tree: Float64Array;

  constructor(readonly capacity: number) {
    this.leaves = 1 << Math.ceil(Math.log2(Math.max(1, capacity)));
    this.tree = new Float64Array(2 * this.leaves);
  }

  get total(): number {
    return this.tree[1]!;
  }

  get(i: number): number {
    return this.tree[this.leaves + i]!;
  }

  set(i: number, priority: number): void {
    let node = this.leaves + i;
    this.tree[node] = priority;
    for (node >>= 1; node >= 1; node >>= 1) this.tree[node] = this.tree[2 * node]! + this.tree[2 * node + 1]!;
  }

  /** The slot whose cumulative-priority interval holds `prefix` (0 <= prefix < total). */
  find(prefix: number): number {
    let node = 1;
    while (node < this.leaves) {
      const left = this.tree[2 * node]!;
      if (prefix < left) node = 2 * node;
      else ((prefix -= left), (node = 2 * node + 1));
    }
    return node - this.leaves;
  }

  priorities(count: number): Float64Array {
    return this.tree.slice(this.leaves, this.leaves + count);
  }
}

/**
 * Proportional sampling, stratified (one draw per equal slice of the total, as in the paper), with
 * importance-sampling weights (N * P(i))^-beta normalised by the batch's largest, as Dopamine does.
 */
export function samplePrioritized(tree: SumTree, size: number, count: number, beta: number, rng: Rng): { indices: Int32Array; weights: Float32Array } {
  const indices = new Int32Array(count);
  const weights = new Float32Array(count);
  const total = tree.total;
  const segment = total / count;
  let largest = 0;
  for (let b = 0; b < count; b++) {
    let i = tree.find(Math.min((b + rng.next()) * segment, total * (1 - 1e-12)));
    // Rounding at the right edge can land on an empty leaf; the last filled slot is the right answer.
    if (i >= size || tree.get(i) === 0) i = lastNonZero(tree, size, i);
    indices[b] = i;
    weights[b] = (size * (tree.get(i) / total)) ** -beta;
    largest = Math.max(largest, weights[b]!);
  }
  for (let b = 0; b < count; b++) weights[b]! /= largest;
  return { indices, weights };
}

function lastNonZero(tree: SumTree, size: number, from: number): number {
  for (let i = Math.min(from, size - 1); i >= 0; i--) if (tree.get(i) > 0) return i;
  throw new Error('prioritized replay: every priority is zero');
}
