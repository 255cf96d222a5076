import * as tf from '@tensorflow/tfjs';
import type { Rng } from '#lab/random/rng.ts';

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

/** Transposes a row-major [rows, cols] array into a [cols, rows] tensor (cheap in JS for 64-row batches). */
function columns(data: Float32Array | Uint8Array, rows: number, cols: number): tf.Tensor2D {
  const t = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = data[r * cols + c]!;
  return tf.tensor2d(t, [cols, rows]);
}

/**
 * The loss's gradient by hand. Returns the chosen actions' Q-values and the gradient of
 * mean_b(w_b * loss(q_b - y_b)) for every parameter. Runs inside the caller's tf.tidy.
 */
export function fusedGradients(spec: QNetworkSpec, params: readonly tf.Tensor2D[], batch: TrainBatch, lossKind: TdLoss): { q: tf.Tensor1D; grads: tf.Tensor2D[] } {
  const B = batch.size;
  const A = spec.actionCount;
  const layers = spec.hidden.length;
  const xRow = tf.tensor2d(batch.states, [B, spec.stateSize]);
  // Forward in columns: h_{l+1} = relu(W_l @ h_l + b_l), W_l the A operand.
  let h: tf.Tensor2D = columns(batch.states, B, spec.stateSize);
  const inputsRow: tf.Tensor2D[] = [xRow];
  const preActivations: tf.Tensor2D[] = [];
  const drops = batch.dropout?.map((d, l) => tf.tensor2d(d, [spec.hidden[l]!, B]));
  for (let l = 0; l < layers; l++) {
    const z = tf.add<tf.Tensor2D>(tf.matMul(params[2 * l]!, h), params[2 * l + 1]!);
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
  const headGrads: tf.Tensor2D[] = [];
  if (!spec.dueling) {
    // Only the chosen actions' rows of the output layer take part: gather them, and scatter their
    // gradient back. This skips the 2*A*H*B products of a full output layer in both directions
    // (docs/toolchain.md: the A=5000 update went from 508 ms to 39 ms).
    const actions = tf.tensor1d(batch.actions, 'int32');
    const rows = tf.gather(W, actions);
    q = tf.add(tf.sum(tf.mul(rows, hRow), 1), tf.reshape(tf.gather(bias, actions), [B]));
    const dq = tf.reshape(lossGradient(q), [B, 1]);
    const indices = tf.reshape(actions, [B, 1]);
    // scatterND adds duplicate indices, as two samples of the same action must.
    headGrads.push(tf.scatterND(indices, tf.mul(hRow, dq), [A, W.shape[1]]), tf.scatterND(indices, dq, [A, 1]));
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
  // d(input) = dZ^T @ W with W as the B operand, untransposed.
  const hiddenGrads: tf.Tensor2D[] = [];
  for (let l = layers - 1; l >= 0; l--) {
    let dh: tf.Tensor2D = tf.transpose(dhRow);
    if (drops) dh = tf.mul(dh, drops[l]!);
    const dz = tf.mul(dh, tf.step(preActivations[l]!));
    hiddenGrads.unshift(tf.matMul(dz, inputsRow[l]!), tf.sum(dz, 1, true));
    if (l > 0) dhRow = tf.matMul(tf.transpose(dz), params[2 * l]!);
  }
  return { q, grads: [...hiddenGrads, ...headGrads] };
}

export function oneHot(actions: Int32Array, actionCount: number): Uint8Array {
  const out = new Uint8Array(actions.length * actionCount);
  actions.forEach((a, b) => (out[b * actionCount + a] = 1));
  return out;
}

/** Adam with PyTorch's defaults and formula (bias-corrected moments), on tensors replaced each step. */
export class Adam {
  step = 0;
  m: tf.Tensor2D[];
  v: tf.Tensor2D[];

  constructor(
    shapes: readonly (readonly [number, number])[],
    /** Mutable: a trainer may schedule it (DqnAgent.setLearningRate). */
    public learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-8,
  ) {
    this.m = shapes.map((s) => tf.zeros([s[0], s[1]]));
    this.v = shapes.map((s) => tf.zeros([s[0], s[1]]));
  }

  /** Returns the updated parameters; the caller disposes the old ones. */
  apply(params: readonly tf.Tensor2D[], grads: readonly tf.Tensor2D[]): tf.Tensor2D[] {
    this.step += 1;
    const c2 = Math.sqrt(1 - this.beta2 ** this.step);
    // lr * m_hat / (sqrt(v_hat) + eps) rewritten so the bias corrections fold into two scalars:
    // five fewer passes over each weight than correcting m and v elementwise.
    const stepSize = (this.learningRate * c2) / (1 - this.beta1 ** this.step);
    const eps = this.epsilon * c2;
    const out = tf.tidy(() =>
      params.map((p, i) => {
        const g = grads[i]!;
        const m = tf.add(tf.mul(this.m[i]!, this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(this.v[i]!, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        return [m, v, tf.sub(p, tf.mul(tf.div(m, tf.add(tf.sqrt(v), eps)), stepSize))] as tf.Tensor2D[];
      }),
    );
    tf.dispose([this.m, this.v]);
    this.m = out.map((o) => o[0]!);
    this.v = out.map((o) => o[1]!);
    return out.map((o) => o[2]!);
  }

  /** Moments and step count, for a checkpoint that resumes exactly. */
  getState(): { step: number; m: Float32Array[]; v: Float32Array[] } {
    const read = (ts: tf.Tensor2D[]) => ts.map((t) => (t.dataSync() as Float32Array).slice());
    return { step: this.step, m: read(this.m), v: read(this.v) };
  }

  setState(state: { step: number; m: readonly Float32Array[]; v: readonly Float32Array[] }): void {
    const m = this.m.map((t, i) => tf.tensor2d(state.m[i]!, t.shape));
    const v = this.v.map((t, i) => tf.tensor2d(state.v[i]!, t.shape));
    this.dispose();
    [this.step, this.m, this.v] = [state.step, m, v];
  }

  dispose(): void {
    tf.dispose([this.m, this.v]);
  }
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
   * argmax downstream can pick one (the masking bugs of tianshou#309 and ray PR #30184).
   */
  qValues(states: Float32Array, masks: Uint8Array, count: number): Float32Array {
    const { stateSize, actionCount: A, hidden, dueling } = this.spec;
    const layers = hidden.length;
    const [adv, value] = tf.tidy(() => {
      let h: tf.Tensor2D = columns(states, count, stateSize);
      for (let l = 0; l < layers; l++) h = tf.relu(tf.add(tf.matMul(this.params[2 * l]!, h), this.params[2 * l + 1]!));
      const a = tf.add(tf.matMul(this.params[2 * layers]!, h), this.params[2 * layers + 1]!);
      return dueling ? [a, tf.add(tf.matMul(this.params[2 * layers + 2]!, h), this.params[2 * layers + 3]!)] : [a];
    });
    const a = adv!.dataSync() as Float32Array;
    const v = value ? (value.dataSync() as Float32Array) : undefined;
    tf.dispose([adv!, value!].filter(Boolean));
    const q = new Float32Array(count * A);
    for (let b = 0; b < count; b++) {
      let offset = 0;
      if (v) {
        let sum = 0;
        let n = 0;
        for (let k = 0; k < A; k++) if (masks[b * A + k]) ((sum += a[k * count + b]!), n++);
        offset = v[b]! - (n > 0 ? sum / n : 0);
      }
      for (let k = 0; k < A; k++) q[b * A + k] = masks[b * A + k] ? a[k * count + b]! + offset : -Infinity;
    }
    return q;
  }

  /** One fused update: forward, TD loss on the chosen actions, hand-written backward, Adam. */
  train(batch: TrainBatch, adam: Adam, lossKind: TdLoss): { q: Float32Array } {
    const { q, grads } = tf.tidy(() => fusedGradients(this.spec, this.params, batch, lossKind));
    const next = adam.apply(this.params, grads);
    const qValues = q.dataSync() as Float32Array;
    tf.dispose([q, grads, this.params]);
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
    tf.dispose(this.params);
  }
}
