import * as tf from '@tensorflow/tfjs';
import type { Rng } from '#lab/random/rng.ts';
import { isSparse, type Adam, type Gradient } from './adam.ts';
import { gatherRows } from './heap.ts';
import { columns, disposeInput, networkInput, type NetworkInput } from './network-input.ts';
import { WeightCache } from './weight-cache.ts';
import { sparseFirstLayerAvailable, sparseTimes, sparseWeightGradient, transposed, type GradientPart } from './sparse-states.ts';

export { columns } from './network-input.ts';

/**
 * The Q-network: an MLP state -> hidden... -> one Q-value per action (the seed's QNetwork is
 * 520-512-512-5000 with ReLU and dropout), optionally with dueling heads:
 * Q(s, a) = V(s) + A(s, a) - mean of A(s, a') over the VALID actions a' of s.
 *
 * Layout, and why: weights are stored as [out, in] (PyTorch's nn.Linear layout) and activations as
 * [features, batch] columns, so every forward product is `W @ X` with the big weight as the A operand
 * of an untransposed matMul. That is the only case the wasm backend hands to XNNPACK's fast kernel;
 * a transposed operand falls into a scalar loop ~10x slower, and a weight used as the B operand is
 * re-packed every time it changes (docs/toolchain.md, "The wasm backend's matMul"). The backward
 * pass below is written by hand for the same reason: autograd's products are the transposed ones.
 */
export interface QNetworkSpec {
  readonly stateSize: number;
  /** Widths of the hidden layers, e.g. [512, 512] for the seed's network. */
  readonly hidden: readonly number[];
  readonly actionCount: number;
  /** Separate value and advantage heads, combined over the valid actions. */
  readonly dueling: boolean;
  /** Dropout after each hidden ReLU during training (the seed uses it); 0 turns it off. */
  readonly dropout: number;
  /**
   * Leading state values that many states share (the problem block): in a batch where they repeat,
   * the first layer multiplies each distinct one once (network-input.ts). 0 or absent: never split.
   */
  readonly sharedPrefix?: number;
}

/** One parameter's name (PyTorch-style) and shape, in the order of `QNetwork.params`. */
export interface ParamInfo {
  readonly name: string;
  readonly shape: readonly [number, number];
}

export function paramInfo(spec: QNetworkSpec): ParamInfo[] {
  const out: ParamInfo[] = [];
  let fanIn = spec.stateSize;
  spec.hidden.forEach((width, i) => {
    out.push({ name: `hidden${i}.weight`, shape: [width, fanIn] }, { name: `hidden${i}.bias`, shape: [width, 1] });
    fanIn = width;
  });
  out.push({ name: 'advantage.weight', shape: [spec.actionCount, fanIn] }, { name: 'advantage.bias', shape: [spec.actionCount, 1] });
  if (spec.dueling) out.push({ name: 'value.weight', shape: [1, fanIn] }, { name: 'value.bias', shape: [1, 1] });
  return out;
}

/** PyTorch's nn.Linear default init, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), drawn from our seeded RNG. */
export function initialWeights(spec: QNetworkSpec, rng: Rng): Float32Array[] {
  const infos = paramInfo(spec);
  return infos.map(({ shape }, i) => {
    const fanIn = infos[i - (i % 2)]!.shape[1];
    const bound = 1 / Math.sqrt(fanIn);
    const w = new Float32Array(shape[0] * shape[1]);
    for (let k = 0; k < w.length; k++) w[k] = rng.uniform(-bound, bound);
    return w;
  });
}

/** A training batch as the replay buffer hands it over: row-major typed arrays. */
export interface TrainBatch {
  readonly size: number;
  /** [size * stateSize], row-major. */
  readonly states: Float32Array;
  readonly actions: Int32Array;
  /** TD targets, computed from the target network with the next states' masks. */
  readonly targets: Float32Array;
  /** Importance-sampling weights (all 1 without prioritized replay). */
  readonly weights: Float32Array;
  /** [size * actionCount] valid-action masks of `states`: the dueling mean is over these only. */
  readonly masks: Uint8Array;
  /** Per hidden layer, [width * size] column-major keep-masks already scaled by 1/(1-p); absent without dropout. */
  readonly dropout?: readonly Float32Array[];
}

export type TdLoss = 'huber' | 'mse';

/**
 * The loss's gradient by hand. Returns the chosen actions' Q-values and the gradient of
 * mean_b(w_b * loss(q_b - y_b)) for every parameter. Runs inside the caller's tf.tidy.
 */
export function fusedGradients(spec: QNetworkSpec, params: readonly tf.Tensor2D[], batch: TrainBatch, lossKind: TdLoss, first?: FirstLayerViews): { q: tf.Tensor1D; grads: Gradient[] } {
  const B = batch.size;
  const A = spec.actionCount;
  const layers = spec.hidden.length;
  const input = networkInput(batch.states, B, spec.stateSize, spec.sharedPrefix ?? 0, first?.transposed !== undefined);
  // Forward in columns: h_{l+1} = relu(W_l @ h_l + b_l), W_l the A operand.
  let h!: tf.Tensor2D;
  // Row-major inputs of each layer, for its weight gradient (a sparse first layer needs none).
  const inputsRow: (tf.Tensor2D | undefined)[] = [input.sparse ? undefined : (input.split?.restRows ?? tf.tensor2d(batch.states, [B, spec.stateSize]))];
  const preActivations: tf.Tensor2D[] = [];
  const drops = batch.dropout?.map((d, l) => tf.tensor2d(d, [spec.hidden[l]!, B]));
  for (let l = 0; l < layers; l++) {
    const z = l === 0 ? firstLayer(params, input, first) : tf.add<tf.Tensor2D>(tf.matMul(params[2 * l]!, h), params[2 * l + 1]!);
    preActivations.push(z);
    h = tf.relu(z);
    if (drops) h = tf.mul(h, drops[l]!);
    // [width, 64] -> [64, width]: transposing a 64-row matrix is nearly free, unlike a weight.
    if (l + 1 < layers) inputsRow.push(tf.transpose(h));
  }
  const hRow = tf.transpose(h);
  const W = params[2 * layers]!;
  const bias = params[2 * layers + 1]!;
  const y = tf.tensor1d(batch.targets);
  const isWeights = tf.tensor1d(batch.weights);

  const lossGradient = (q: tf.Tensor1D): tf.Tensor1D => {
    const delta = tf.sub(q, y);
    const slope = lossKind === 'huber' ? tf.clipByValue(delta, -1, 1) : tf.mul(delta, 2);
    return tf.mul(slope, tf.div(isWeights, B));
  };

  let q: tf.Tensor1D;
  let dhRow: tf.Tensor2D;
  const headGrads: Gradient[] = [];
  if (!spec.dueling) {
    // Only the chosen actions' rows of the output layer take part: gather them, and scatter their
    // gradient back. This skips the 2*A*H*B products of a full output layer in both directions
    // (docs/toolchain.md: the A=5000 update went from 508 ms to 39 ms).
    const rows = gatherRows(W, batch.actions);
    q = tf.add(tf.sum(tf.mul(rows, hRow), 1), tf.reshape(gatherRows(bias, batch.actions), [B]));
    const dq = tf.reshape(lossGradient(q), [B, 1]);
    // Row gradients of the chosen actions only: Adam adds them into its one pass over the layer
    // (duplicates add, as two samples of the same action must), so no dense [A, H] gradient is made.
    headGrads.push({ rows: batch.actions, values: tf.mul(hRow, dq) as tf.Tensor2D, shape: [A, W.shape[1]] }, { rows: batch.actions, values: dq as tf.Tensor2D, shape: [A, 1] });

    dhRow = tf.mul(rows, dq);
  } else {
    // The dueling mean needs every advantage of the batch's own states, so this head is dense.
    const valid = columns(batch.masks, B, A);
    const chosen = columns(oneHot(batch.actions, A), B, A);
    const invCount = tf.div(1, tf.sum(valid, 0, true));
    const adv = tf.add(tf.matMul(W, h), bias);
    const [Wv, bv] = [params[2 * layers + 2]!, params[2 * layers + 3]!];
    const v = tf.add(tf.matMul(Wv, h), bv);
    const meanAdv = tf.mul(tf.sum(tf.mul(adv, valid), 0, true), invCount);
    q = tf.reshape(tf.sub(tf.add(v, tf.sum(tf.mul(adv, chosen), 0, true)), meanAdv), [B]);
    const dq = tf.reshape(lossGradient(q), [1, B]);
    const dAdv = tf.sub(tf.mul(chosen, dq), tf.mul(valid, tf.mul(dq, invCount)));
    headGrads.push(tf.matMul(dAdv, hRow), tf.sum(dAdv, 1, true), tf.matMul(dq, hRow), tf.sum(dq, 1, true));
    dhRow = tf.add(tf.matMul(tf.transpose(dAdv), W), tf.mul(tf.reshape(dq, [B, 1]), Wv));
  }

  // Backward through the hidden layers: dW = dZ @ input (A operand: the fresh [out, 64] gradient),
  // d(input) = W^T @ dZ in columns, with W^T made by a transpose: as the A operand it is not
  // re-packed the way a changed B operand is (0.42 instead of 0.55 ms for 256 x 256, batch 64).
  const hiddenGrads: tf.Tensor2D[] = [];
  let dhColumns: tf.Tensor2D = tf.transpose(dhRow);
  for (let l = layers - 1; l >= 0; l--) {
    let dh = dhColumns;
    if (drops) dh = tf.mul(dh, drops[l]!);
    const dz: tf.Tensor2D = tf.mul(dh, tf.step(preActivations[l]!));
    const dW: tf.Tensor2D = l === 0 ? firstLayerGradient(dz, input, inputsRow[0], spec.stateSize) : tf.matMul(dz, inputsRow[l]!);
    hiddenGrads.unshift(dW, tf.sum(dz, 1, true));
    if (l > 0) dhColumns = tf.matMul(tf.transpose(params[2 * l]!), dz);
  }
  return { q, grads: [...hiddenGrads, ...headGrads] };
}

/**
 * The first layer's weight gradient dZ @ input^T. A shared prefix's columns get the gradient summed
 * over the states that share it (dZ @ select), times the prefix once; sparse states scatter it by
 * their set values, dense ones multiply it by their `rows`.
 */
function firstLayerGradient(dz: tf.Tensor2D, input: NetworkInput, rows: tf.Tensor2D | undefined, stateSize: number): tf.Tensor2D {
  if (input.sparse) {
    const dzRows = transposed(dz);
    const parts: GradientPart[] = [{ states: input.sparse, rows: dzRows }];
    // [distinct, count] @ [count, hidden]: each distinct prefix's summed gradient row.
    if (input.shared) parts.push({ states: input.shared.prefixes, rows: tf.matMul(input.shared.select, dzRows) });
    return sparseWeightGradient(parts, stateSize);
  }
  const rest = tf.matMul<tf.Tensor2D>(dz, rows!);
  return input.split ? tf.concat2d([tf.matMul<tf.Tensor2D>(tf.matMul(dz, input.split.selectRows), input.split.prefixRows), rest], 1) : rest;
}

/** The first layer's weight cut at the shared prefix: [hidden, prefix] and [hidden, stateSize - prefix]. */
export type FirstLayerBlocks = readonly [tf.Tensor2D, tf.Tensor2D];

/**
 * A network's cached forms of its first layer's weight: the cut at the shared prefix, and the
 * transpose [stateSize, hidden] the sparse product reads (offered only where the backend has the
 * kernel: its presence lets the input be sparse).
 */
export interface FirstLayerViews {
  readonly blocks: () => FirstLayerBlocks;
  readonly transposed?: () => tf.Tensor2D;
}

function cutFirstLayer(weight: tf.Tensor2D, prefix: number): FirstLayerBlocks {
  const [rows, cols] = weight.shape;
  return [tf.slice(weight, [0, 0], [rows, prefix]), tf.slice(weight, [0, prefix], [rows, cols - prefix])];
}

/**
 * W1 @ x + b1, as [hidden, count] columns: dense, or for a split input W_rest @ rest + (W_prefix @
 * prefixes) @ select + b1, the weight's cut from `first` (a network's cache). Sparse states multiply
 * the transposed weight (`first.transposed`): the rest, and the distinct prefixes once each.
 */
function firstLayer(params: readonly tf.Tensor2D[], input: NetworkInput, first?: FirstLayerViews): tf.Tensor2D {
  if (input.sparse) {
    const weightT = first!.transposed!();
    const z = transposed(sparseTimes(input.sparse, weightT, params[1]!));
    return input.shared ? tf.add(z, tf.matMul(transposed(sparseTimes(input.shared.prefixes, weightT)), input.shared.select)) : z;
  }
  if (!input.split) return tf.add(tf.matMul(params[0]!, input.columns!), params[1]!);
  const { prefixes, select, rest } = input.split;
  const [wPrefix, wRest] = first ? first.blocks() : cutFirstLayer(params[0]!, prefixes.shape[0]);
  return tf.add(tf.add(tf.matMul(wRest, rest), tf.matMul(tf.matMul(wPrefix, prefixes), select)), params[1]!);
}

/** A gradient as a dense row-major array (tests, and backends without a heap to read from). */
export function denseGradient(g: Gradient): Float32Array {
  if (!isSparse(g)) return (g.dataSync() as Float32Array).slice();
  const [rows, cols] = g.shape;
  const out = new Float32Array(rows * cols);
  const values = g.values.dataSync() as Float32Array;
  g.rows.forEach((r, k) => {
    for (let c = 0; c < cols; c++) out[r * cols + c]! += values[k * cols + c]!;
  });
  return out;
}

/** The tensors a gradient holds, for disposal. */
export const gradientTensors = (grads: readonly Gradient[]): tf.Tensor[] => grads.map((g) => (isSparse(g) ? g.values : g));

export function oneHot(actions: Int32Array, actionCount: number): Uint8Array {
  const out = new Uint8Array(actions.length * actionCount);
  actions.forEach((a, b) => (out[b * actionCount + a] = 1));
  return out;
}

/** A Q-network's parameters on the active backend, with acting and training entry points. */
export class QNetwork {
  params: tf.Tensor2D[];

  constructor(
    readonly spec: QNetworkSpec,
    weights: readonly Float32Array[],
  ) {
    this.params = paramInfo(spec).map((p, i) => tf.tensor2d(weights[i]!, [p.shape[0], p.shape[1]]));
  }

  /**
   * Q-values of `count` states, row-major [count * actionCount], with the dueling heads combined
   * over each state's valid actions and THEN every invalid action set to -Infinity, so no max or
   * argmax downstream can pick one (the masking bugs of tianshou#309 and ray PR #30184). `states`
   * row-major, or already as [stateSize, count] columns (one transposition for two networks).
   */
  qValues(states: Float32Array | NetworkInput, masks: Uint8Array, count: number): Float32Array {
    const A = this.spec.actionCount;
    const { a, offsets } = this.heads(states, masks, count);
    const q = new Float32Array(count * A);
    for (let b = 0; b < count; b++) {
      const offset = offsets ? offsets[b]! : 0;
      for (let k = 0; k < A; k++) q[b * A + k] = masks[b * A + k] ? a[k * count + b]! + offset : -Infinity;
    }
    return q;
  }

  /**
   * Per state, its best VALID action (-1 where none is valid) and that action's Q-value: what
   * `qValues` followed by a masked argmax gives, bit for bit, without building the [count,
   * actionCount] matrix (the TD targets of a 5,000-action head read only these).
   */
  greedy(states: Float32Array | NetworkInput, masks: Uint8Array, count: number): { actions: Int32Array; values: Float32Array } {
    const A = this.spec.actionCount;
    const { a, offsets } = this.heads(states, masks, count);
    const actions = new Int32Array(count).fill(-1);
    const values = new Float32Array(count).fill(-Infinity);
    // Action by action, every state: the head's output is [actions, count], read in memory order.
    // Compared as qValues stores them (float32, offset added), so ties break the same way.
    for (let k = 0; k < A; k++) {
      const row = k * count;
      for (let b = 0; b < count; b++) {
        if (!masks[b * A + k]) continue;
        const q = offsets ? Math.fround(a[row + b]! + offsets[b]!) : a[row + b]!;
        if (actions[b]! < 0 || q > values[b]!) (values[b] = q), (actions[b] = k);
      }
    }
    return { actions, values };
  }

  /** The Q-values of the given actions (valid ones) of `count` states, as `qValues` holds them. */
  valuesAt(states: Float32Array | NetworkInput, masks: Uint8Array, count: number, actions: Int32Array): Float32Array {
    const { a, offsets } = this.heads(states, masks, count);
    const values = new Float32Array(count);
    for (let b = 0; b < count; b++) values[b] = actions[b]! < 0 ? -Infinity : a[actions[b]! * count + b]! + (offsets ? offsets[b]! : 0);
    return values;
  }

  /**
   * The output head of `count` states as [actionCount, count] (column b is state b), and with
   * dueling heads the per-state offset V(s) - mean of A(s, a') over the valid a', in the order
   * `qValues` has always summed them.
   */
  private heads(states: Float32Array | NetworkInput, masks: Uint8Array, count: number): { a: Float32Array; offsets?: Float64Array } {
    const { stateSize, actionCount: A, hidden, dueling } = this.spec;
    const layers = hidden.length;
    const head = this.headBlocks(count);
    const input = states instanceof Float32Array ? this.input(states, count) : states;
    const [adv, value] = tf.tidy(() => {
      let h = tf.relu(firstLayer(this.params, input, this.first()));
      for (let l = 1; l < layers; l++) h = tf.relu(tf.add(tf.matMul(this.params[2 * l]!, h), this.params[2 * l + 1]!));
      const a = head.length > 1 ? tf.concat(head.map(([w, b]) => tf.add(tf.matMul(w, h), b))) : tf.add(tf.matMul(this.params[2 * layers]!, h), this.params[2 * layers + 1]!);
      return dueling ? [a, tf.add(tf.matMul(this.params[2 * layers + 2]!, h), this.params[2 * layers + 3]!)] : [a];
    });
    if (input !== states) disposeInput(input);
    const a = adv!.dataSync() as Float32Array;
    const v = value ? (value.dataSync() as Float32Array) : undefined;
    tf.dispose([adv!, value!].filter(Boolean));
    if (!v) return { a };
    const offsets = new Float64Array(count);
    for (let b = 0; b < count; b++) {
      let sum = 0;
      let n = 0;
      for (let k = 0; k < A; k++) if (masks[b * A + k]) ((sum += a[k * count + b]!), n++);
      offsets[b] = v[b]! - (n > 0 ? sum / n : 0);
    }
    return { a, offsets };
  }

  /** The output layer cut into row blocks for a batch of `count` states (see HEAD_BLOCK_ROWS); one block when small. */
  private headBlocks(count: number): [tf.Tensor2D, tf.Tensor2D][] {
    const layers = this.spec.hidden.length;
    const W = this.params[2 * layers]!;
    const bias = this.params[2 * layers + 1]!;
    if (count < 16 || W.shape[0] <= HEAD_BLOCK_ROWS) return [[W, bias]];
    return this.headCache.get(W, () => {
      const sizes = blockSizes(W.shape[0]);
      const bs = tf.split(bias, sizes, 0) as tf.Tensor2D[];
      return (tf.split(W, sizes, 0) as tf.Tensor2D[]).map((w, i): [tf.Tensor2D, tf.Tensor2D] => [w, bs[i]!]);
    });
  }

  /** The first layer's input for `count` row-major states: shared by two networks when made once (the TD targets). */
  input(states: Float32Array, count: number): NetworkInput {
    return networkInput(states, count, this.spec.stateSize, this.spec.sharedPrefix ?? 0, sparseFirstLayerAvailable(this.spec.hidden[0]!));
  }

  /** The first layer's cached forms (FirstLayerViews); the transpose only where the sparse product runs. */
  private first(): FirstLayerViews {
    return sparseFirstLayerAvailable(this.spec.hidden[0]!) ? { blocks: this.firstBlocks, transposed: this.firstTransposed } : { blocks: this.firstBlocks };
  }

  /** The first layer cut at the shared prefix, once per weight tensor. */
  private readonly firstBlocks = (): FirstLayerBlocks => this.cutCache.get(this.params[0]!, () => cutFirstLayer(this.params[0]!, this.spec.sharedPrefix!));

  /** The first layer's weight transposed, once per weight tensor. */
  private readonly firstTransposed = (): tf.Tensor2D => this.transposeCache.get(this.params[0]!, () => transposed(this.params[0]!));

  private readonly cutCache = new WeightCache<FirstLayerBlocks>();
  private readonly transposeCache = new WeightCache<tf.Tensor2D>();
  private readonly headCache = new WeightCache<[tf.Tensor2D, tf.Tensor2D][]>();

  private disposeBlocks(): void {
    for (const cache of [this.cutCache, this.transposeCache, this.headCache]) cache.dispose();
  }

  /** One fused update: forward, TD loss on the chosen actions, hand-written backward, Adam. */
  train(batch: TrainBatch, adam: Adam, lossKind: TdLoss): { q: Float32Array } {
    // tidy keeps what the result holds, tensors inside the sparse gradients included.
    const { q, grads } = tf.tidy(() => fusedGradients(this.spec, this.params, batch, lossKind, this.first()) as unknown as tf.TensorContainer) as unknown as ReturnType<typeof fusedGradients>;
    const next = adam.apply(this.params, grads);
    const qValues = q.dataSync() as Float32Array;
    tf.dispose([q, ...gradientTensors(grads), ...this.params]);
    this.params = next;
    return { q: qValues };
  }

  getWeights(): Float32Array[] {
    return this.params.map((p) => p.dataSync() as Float32Array).map((d) => d.slice());
  }

  setWeights(weights: readonly Float32Array[]): void {
    const next = this.params.map((p, i) => tf.tensor2d(weights[i]!, p.shape));
    tf.dispose(this.params);
    this.params = next;
  }

  /** Target sync: the tensors are immutable (every step makes new ones), so sharing is a copy. */
  copyFrom(other: QNetwork): void {
    const next = other.params.map((p) => tf.clone(p));
    tf.dispose(this.params);
    this.params = next;
  }

  dispose(): void {
    this.disposeBlocks();
    tf.dispose(this.params);
  }
}

/**
 * Rows per block of a wide output layer in batched forward passes. On the wasm backend a product
 * W @ H with W of [rows, 512] and H of [512, 64] ran at 29 GFLOP/s for 512 rows, 27 for 1,000, 15
 * for 2,000 and 8 for 5,000 (measured on this machine, same run): past about 1,000 rows W no longer
 * stays in cache while it is reused, so the seed's 5,000-action head is multiplied in blocks.
 */
const HEAD_BLOCK_ROWS = 1024;

function blockSizes(rows: number): number[] {
  const blocks = Math.ceil(rows / HEAD_BLOCK_ROWS);
  const base = Math.floor(rows / blocks);
  return Array.from({ length: blocks }, (_, i) => base + (i < rows % blocks ? 1 : 0));
}
