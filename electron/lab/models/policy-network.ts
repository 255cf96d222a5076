import { CODE_DIMS, META_DIMS } from '#lab/env/state-encoding.ts';
import { Rng } from '#lab/random/rng.ts';

/**
 * The policy network of the policy-gradient agents: state -> two ReLU layers -> one logit per
 * action, softmax over the valid actions. Plain typed-array loops rather than tfjs: the state is
 * mostly zeros (hashed features), so the first layer walks the non-zero inputs only, which makes a
 * forward and backward pass of this size far cheaper than a dense matMul, and one example at a
 * time (acting) costs no tensor allocation. Adam over all weights once per batch.
 */

export interface PolicyNetworkShape {
  readonly inputSize: number;
  readonly hidden: number;
  readonly actions: number;
}

export interface PolicyExample {
  readonly state: Float32Array;
  /** The valid actions when it was chosen (the softmax ranges over them). */
  readonly mask: Uint8Array;
  readonly action: number;
  /** Scales the log-likelihood term: 1 for supervised steps, the advantage for policy gradient. */
  readonly weight: number;
}

const PARAMS = ['w1', 'b1', 'w2', 'b2', 'w3', 'b3'] as const;
type ParamName = (typeof PARAMS)[number];

export class PolicyNetwork {
  readonly params: Record<ParamName, Float32Array>;
  private readonly m: Record<ParamName, Float32Array>;
  private readonly v: Record<ParamName, Float32Array>;
  private readonly grads: Record<ParamName, Float32Array>;
  private steps = 0;
  // Scratch for one example.
  private readonly h1: Float32Array;
  private readonly h2: Float32Array;
  private readonly logits: Float32Array;
  private readonly nz: Int32Array;
  /**
   * The problem's block leads every state (state-encoding.ts) and stays the same for a whole
   * problem, so its share of the first layer is kept: the problem block it was computed for, the
   * weights' version (Adam steps) and the partial sums (b1 plus that block's products, in the same
   * order as a full pass, so the result is bit for bit the same).
   */
  private readonly prefixLength: number;
  private readonly prefixSeen: Float32Array;
  private readonly prefixSums: Float32Array;
  private prefixNonZero = new Int32Array(0);
  private prefixVersion = -1;
  /** Counts recomputations of the kept block: a change means a new problem block. */
  private prefixEpoch = 0;

  constructor(
    readonly shape: PolicyNetworkShape,
    params?: Partial<Record<ParamName, Float32Array>>,
    seed = 1,
  ) {
    const { inputSize: n, hidden: h, actions: a } = shape;
    const sizes: Record<ParamName, number> = { w1: n * h, b1: h, w2: h * h, b2: h, w3: h * a, b3: a };
    const rng = new Rng(seed);
    // He initialisation for the ReLU layers, small output weights so the first policy is near uniform.
    const init = (name: ParamName, fanIn: number, scale: number) => {
      const given = params?.[name];
      if (given) {
        if (given.length !== sizes[name]) throw new Error(`policy network: ${name} has ${given.length} weights, expected ${sizes[name]}`);
        return Float32Array.from(given);
      }
      const w = new Float32Array(sizes[name]);
      if (name.startsWith('w')) for (let i = 0; i < w.length; i++) w[i] = (rng.next() * 2 - 1) * Math.sqrt(3) * scale * Math.sqrt(2 / fanIn);
      return w;
    };
    this.params = { w1: init('w1', 32, 1), b1: init('b1', 1, 0), w2: init('w2', h, 1), b2: init('b2', 1, 0), w3: init('w3', h, 0.1), b3: init('b3', 1, 0) };
    const zeros = () => Object.fromEntries(PARAMS.map((p) => [p, new Float32Array(sizes[p])])) as Record<ParamName, Float32Array>;
    this.m = zeros();
    this.v = zeros();
    this.grads = zeros();
    this.h1 = new Float32Array(h);
    this.h2 = new Float32Array(h);
    this.logits = new Float32Array(a);
    this.nz = new Int32Array(n);
    this.prefixLength = Math.max(0, n - CODE_DIMS - META_DIMS);
    this.prefixSeen = new Float32Array(this.prefixLength);
    this.prefixSums = new Float32Array(h);
  }

  /** h1 := b1 + the problem block's products, from the cache when the block and weights are unchanged. */
  private startFirstLayer(state: Float32Array): number {
    const { hidden: h } = this.shape;
    const p = this.prefixLength;
    let same = this.prefixVersion === this.steps;
    for (let i = 0; same && i < p; i++) if (state[i] !== this.prefixSeen[i]) same = false;
    if (!same) {
      const { w1, b1 } = this.params;
      const sums = this.prefixSums;
      sums.set(b1);
      const nonZero: number[] = [];
      for (let i = 0; i < p; i++) {
        const x = state[i]!;
        if (x === 0) continue;
        nonZero.push(i);
        const row = i * h;
        for (let j = 0; j < h; j++) sums[j]! += x * w1[row + j]!;
      }
      this.prefixSeen.set(state.subarray(0, p));
      this.prefixNonZero = Int32Array.from(nonZero);
      this.prefixVersion = this.steps;
      this.prefixEpoch++;
    }
    this.h1.set(this.prefixSums);
    this.nz.set(this.prefixNonZero);
    return this.prefixNonZero.length;
  }

  /** Fills h1, h2 and logits for one state; returns how many inputs were non-zero (listed in nz). */
  private forward(state: Float32Array): number {
    const { inputSize: n, hidden: h, actions: a } = this.shape;
    const { w1, w2, b2, w3, b3 } = this.params;
    const h1 = this.h1;
    const h2 = this.h2;
    let count = this.startFirstLayer(state);
    for (let i = this.prefixLength; i < n; i++) {
      const x = state[i]!;
      if (x === 0) continue;
      this.nz[count++] = i;
      const row = i * h;
      for (let j = 0; j < h; j++) h1[j]! += x * w1[row + j]!;
    }
    for (let j = 0; j < h; j++) if (h1[j]! < 0) h1[j] = 0;
    h2.set(b2);
    for (let i = 0; i < h; i++) {
      const x = h1[i]!;
      if (x === 0) continue;
      const row = i * h;
      for (let j = 0; j < h; j++) h2[j]! += x * w2[row + j]!;
    }
    for (let j = 0; j < h; j++) if (h2[j]! < 0) h2[j] = 0;
    const z = this.logits;
    z.set(b3);
    for (let i = 0; i < h; i++) {
      const x = h2[i]!;
      if (x === 0) continue;
      const row = i * a;
      for (let j = 0; j < a; j++) z[j]! += x * w3[row + j]!;
    }
    return count;
  }

  /** Action probabilities over the valid actions (0 elsewhere); `temperature` divides the logits. */
  probabilities<T extends Float32Array<ArrayBufferLike>>(state: Float32Array, mask: Uint8Array, temperature = 1, out: T = new Float32Array(this.shape.actions) as T): T {
    this.forward(state);
    softmaxMasked(this.logits, mask, temperature, out);
    return out;
  }

  /**
   * One Adam step on a batch: minimises mean(-weight * log p(action)) - entropy * mean(H(p)).
   * Returns the mean negative log-likelihood of the batch's actions (before the step).
   */
  train(batch: readonly PolicyExample[], learningRate: number, entropy = 0): number {
    if (batch.length === 0) return 0;
    const { hidden: h, actions: a } = this.shape;
    const { w2, w3 } = this.params;
    for (const p of PARAMS) this.grads[p].fill(0);
    const g = this.grads;
    const p = new Float32Array(a);
    const dz = new Float32Array(a);
    const d2 = new Float32Array(h);
    const d1 = new Float32Array(h);
    const scale = 1 / batch.length;
    let nll = 0;
    // Examples of one problem share the problem block: its first-layer gradient is that block's
    // inputs times the sum of their d1, added once per run of examples with the same block.
    const d1Sum = new Float32Array(h);
    let block: { nonZero: Int32Array; inputs: Float32Array } | null = null;
    const addBlockGradient = () => {
      if (!block) return;
      for (const i of block.nonZero) {
        const x = block.inputs[i]!;
        const row = i * h;
        for (let j = 0; j < h; j++) g.w1[row + j]! += x * d1Sum[j]!;
      }
      d1Sum.fill(0);
    };
    for (const ex of batch) {
      const epoch = this.prefixEpoch;
      const count = this.forward(ex.state);
      if (!block || this.prefixEpoch !== epoch) {
        addBlockGradient();
        block = { nonZero: this.prefixNonZero, inputs: this.prefixSeen.slice() };
      }
      softmaxMasked(this.logits, ex.mask, 1, p);
      nll -= Math.log(Math.max(p[ex.action]!, 1e-12));
      let entropyValue = 0;
      for (let j = 0; j < a; j++) if (p[j]! > 0) entropyValue -= p[j]! * Math.log(p[j]!);
      for (let j = 0; j < a; j++) {
        if (!ex.mask[j]) {
          dz[j] = 0;
          continue;
        }
        const pj = p[j]!;
        const logp = pj > 0 ? Math.log(pj) : 0;
        dz[j] = scale * (ex.weight * (pj - (j === ex.action ? 1 : 0)) + entropy * pj * (logp + entropyValue));
      }
      backDense(this.h2, w3, dz, g.w3, g.b3, d2);
      backDense(this.h1, w2, d2, g.w2, g.b2, d1);
      for (let j = 0; j < h; j++) {
        g.b1[j]! += d1[j]!;
        d1Sum[j]! += d1[j]!;
      }
      for (let k = block.nonZero.length; k < count; k++) {
        const i = this.nz[k]!;
        const x = ex.state[i]!;
        const row = i * h;
        for (let j = 0; j < h; j++) g.w1[row + j]! += x * d1[j]!;
      }
    }
    addBlockGradient();
    this.adam(learningRate);
    return nll / batch.length;
  }

  private adam(lr: number): void {
    const b1 = 0.9;
    const b2 = 0.999;
    this.steps++;
    const c1 = 1 - b1 ** this.steps;
    const c2 = 1 - b2 ** this.steps;
    for (const name of PARAMS) {
      const w = this.params[name];
      const g = this.grads[name];
      const m = this.m[name];
      const v = this.v[name];
      for (let i = 0; i < w.length; i++) {
        const gi = g[i]!;
        if (gi === 0 && m[i] === 0) continue; // untouched sparse rows: moments stay zero, no update
        m[i] = b1 * m[i]! + (1 - b1) * gi;
        v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
        w[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + 1e-8);
      }
    }
  }

  /** Weights and optimiser state, for a checkpoint; `weightsOnly` for a model to ship. */
  save(weightsOnly = false): { meta: { shape: PolicyNetworkShape; steps: number }; arrays: Record<string, Float32Array> } {
    const arrays: Record<string, Float32Array> = {};
    for (const p of PARAMS) {
      arrays[p] = this.params[p].slice();
      if (!weightsOnly) {
        arrays[`m_${p}`] = this.m[p].slice();
        arrays[`v_${p}`] = this.v[p].slice();
      }
    }
    return { meta: { shape: { ...this.shape }, steps: weightsOnly ? 0 : this.steps }, arrays };
  }

  static restore(meta: { shape: PolicyNetworkShape; steps: number }, arrays: Record<string, unknown>): PolicyNetwork {
    const weights: Partial<Record<ParamName, Float32Array>> = {};
    for (const p of PARAMS) {
      const w = arrays[p];
      if (!(w instanceof Float32Array)) throw new Error(`policy network checkpoint: no ${p} weights`);
      weights[p] = w;
    }
    const net = new PolicyNetwork(meta.shape, weights);
    net.steps = meta.steps;
    for (const p of PARAMS) {
      const m = arrays[`m_${p}`];
      const v = arrays[`v_${p}`];
      if (m instanceof Float32Array && v instanceof Float32Array) {
        net.m[p].set(m);
        net.v[p].set(v);
      }
    }
    return net;
  }

  clone(): PolicyNetwork {
    const { meta, arrays } = this.save();
    return PolicyNetwork.restore(meta, arrays);
  }
}

/** Softmax of `logits / temperature` over the set entries of `mask` (others 0). */
export function softmaxMasked(logits: Float32Array, mask: Uint8Array, temperature: number, out: Float32Array): void {
  let max = -Infinity;
  for (let j = 0; j < logits.length; j++) if (mask[j] && logits[j]! > max) max = logits[j]!;
  let sum = 0;
  for (let j = 0; j < logits.length; j++) {
    const e = mask[j] ? Math.exp((logits[j]! - max) / temperature) : 0;
    out[j] = e;
    sum += e;
  }
  for (let j = 0; j < logits.length; j++) out[j]! /= sum;
}

/**
 * Backpropagates `dOut` through one dense layer fed by the ReLU activations `input`: adds to the
 * layer's weight and bias gradients and writes the gradient of the input's pre-activations (zero
 * where the ReLU was off, which is where the activation is 0).
 */
function backDense(input: Float32Array, w: Float32Array, dOut: Float32Array, gw: Float32Array, gb: Float32Array, dIn: Float32Array): void {
  const cols = dOut.length;
  for (let j = 0; j < cols; j++) gb[j]! += dOut[j]!;
  for (let i = 0; i < input.length; i++) {
    const x = input[i]!;
    if (x === 0) {
      dIn[i] = 0;
      continue;
    }
    const row = i * cols;
    let acc = 0;
    for (let j = 0; j < cols; j++) {
      gw[row + j]! += x * dOut[j]!;
      acc += w[row + j]! * dOut[j]!;
    }
    dIn[i] = acc;
  }
}
