import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { kernelPath } from './kernels/kernel-file.ts';
import { heapBackend, tensorValues } from './heap.ts';

/**
 * A parameter's gradient: dense, or nonzero only in some rows (the output layer without dueling
 * heads: only the batch's chosen actions). Row `rows[k]` gets `values` row k; repeated rows add.
 */
export type Gradient = tf.Tensor2D | SparseRows;

export interface SparseRows {
  readonly rows: Int32Array;
  /** [rows.length, shape[1]] */
  readonly values: tf.Tensor2D;
  readonly shape: readonly [number, number];
}

export const isSparse = (g: Gradient): g is SparseRows => 'rows' in g;

interface AdamKernel {
  adam(w: number, g: number, m: number, v: number, n: number, b1: number, b2: number, step: number, eps: number): void;
  decay(w: number, m: number, v: number, n: number, b1: number, b2: number, step: number, eps: number): void;
}

let compiled: WebAssembly.Module | undefined;

/** adam.wat, compiled once per process; each optimizer instantiates it over a memory of its own. */
function instantiate(memory: WebAssembly.Memory): AdamKernel {
  compiled ??= new WebAssembly.Module(readFileSync(kernelPath('adam', 'wasm')));
  return new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as AdamKernel;
}

/** Float32 arrays laid out in one WebAssembly memory, 16-byte aligned for the SIMD lanes. */
class KernelArrays {
  readonly memory: WebAssembly.Memory;
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];

  constructor(lengths: readonly number[]) {
    let bytes = 0;
    for (const n of lengths) {
      this.offsets.push(bytes);
      this.lengths.push(n);
      bytes += Math.ceil((4 * n) / 16) * 16;
    }
    const pages = Math.max(1, Math.ceil(bytes / 65536));
    // A fixed size: growing would detach every view handed out below.
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  }

  pointer = (k: number): number => this.offsets[k]!;
  view = (k: number): Float32Array => new Float32Array(this.memory.buffer, this.offsets[k]!, this.lengths[k]!);
}

/**
 * Adam with PyTorch's defaults and formula (bias-corrected moments), run by a small WebAssembly
 * SIMD kernel (kernels/adam.wat) over the weights, gradients and both moments, held in the kernel's
 * own memory. The JavaScript loop it replaces spent ~8 ns an element on the seed network's 3.1M
 * weights (docs/toolchain.md, "Adam's kernel"). On the wasm backend the new weight is written
 * straight into a fresh tensor on tfjs's heap; a fresh one because XNNPACK caches packed operands
 * per tensor. A checkpoint copies the moments as they are.
 */
export class Adam {
  step = 0;
  /** Views into the kernel's memory: replaced in place by setState, never reallocated. */
  readonly m: Float32Array[];
  readonly v: Float32Array[];
  private readonly arrays: KernelArrays;
  private readonly kernel: AdamKernel;
  private readonly count: number;
  /** The parameters the last step returned, whose values the kernel's memory holds. */
  private made: readonly tf.Tensor2D[] = [];

  constructor(
    readonly shapes: readonly (readonly [number, number])[],
    /** Mutable: a trainer may schedule it (DqnAgent.setLearningRate). */
    public learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-8,
  ) {
    const sizes = shapes.map((s) => s[0] * s[1]);
    this.count = sizes.length;
    // Per parameter: weights, first and second moments; then one gradient scratch as large as the largest.
    this.arrays = new KernelArrays([...sizes, ...sizes, ...sizes, Math.max(...sizes)]);
    this.kernel = instantiate(this.arrays.memory);
    this.m = sizes.map((_, i) => this.arrays.view(this.count + i));
    this.v = sizes.map((_, i) => this.arrays.view(2 * this.count + i));
  }

  private weightsAt = (i: number): number => this.arrays.pointer(i);
  private mAt = (i: number): number => this.arrays.pointer(this.count + i);
  private vAt = (i: number): number => this.arrays.pointer(2 * this.count + i);
  private scratchAt = (): number => this.arrays.pointer(3 * this.count);

  /** Returns the updated parameters; the caller disposes the old ones and the gradients. */
  apply(params: readonly tf.Tensor2D[], grads: readonly Gradient[]): tf.Tensor2D[] {
    this.step += 1;
    const c2 = Math.sqrt(1 - this.beta2 ** this.step);
    // lr * m_hat / (sqrt(v_hat) + eps) rewritten so the bias corrections fold into two scalars.
    const stepSize = (this.learningRate * c2) / (1 - this.beta1 ** this.step);
    const eps = this.epsilon * c2;
    const heap = heapBackend();
    // Every output is allocated before any heap view is taken: an allocation may grow the heap,
    // which detaches the views made before it.
    const outputs = heap ? params.map((p) => heap.makeOutput([...p.shape], 'float32')) : undefined;
    const read = (t: tf.Tensor): Float32Array => tensorValues(t, heap);
    const scratch = this.arrays.view(3 * this.count);
    const made = params.map((p, i) => {
      const weights = this.arrays.view(i);
      // The kernel's memory still holds what the last step made, unless the weights were replaced since.
      if (this.made[i] !== p) weights.set(read(p));
      const g = grads[i]!;
      if (isSparse(g)) this.sparseStep(i, g.rows, read(g.values), g.shape[1], scratch, stepSize, eps);
      else {
        scratch.set(read(g));
        this.kernel.adam(this.weightsAt(i), this.scratchAt(), this.mAt(i), this.vAt(i), weights.length, this.beta1, this.beta2, stepSize, eps);
      }
      if (!outputs) return tf.tensor2d(weights.slice(), p.shape);
      heap!.typedArrayFromHeap(outputs[i]!).set(weights);
      return tf.engine().makeTensorFromTensorInfo(outputs[i]!) as tf.Tensor2D;
    });
    this.made = made;
    return made;
  }

  /** A layer whose gradient is nonzero in some rows only: those rows summed, the rest decay their moments. */
  private sparseStep(i: number, rows: Int32Array, values: Float32Array, cols: number, scratch: Float32Array, stepSize: number, eps: number): void {
    const touched = [...new Set(rows)].sort((a, b) => a - b);
    const slot = new Map(touched.map((r, k) => [r, k]));
    scratch.fill(0, 0, touched.length * cols);
    rows.forEach((r, k) => {
      const at = slot.get(r)! * cols;
      for (let c = 0; c < cols; c++) scratch[at + c]! += values[k * cols + c]!;
    });
    const { beta1: b1, beta2: b2 } = this;
    const at = (base: number, row: number) => base + 4 * row * cols;
    let next = 0;
    const decayUpTo = (row: number) => {
      if (row > next) this.kernel.decay(at(this.weightsAt(i), next), at(this.mAt(i), next), at(this.vAt(i), next), (row - next) * cols, b1, b2, stepSize, eps);
    };
    touched.forEach((r, k) => {
      decayUpTo(r);
      this.kernel.adam(at(this.weightsAt(i), r), at(this.scratchAt(), k), at(this.mAt(i), r), at(this.vAt(i), r), cols, b1, b2, stepSize, eps);
      next = r + 1;
    });
    decayUpTo(this.arrays.view(i).length / cols);
  }

  /** Moments and step count, for a checkpoint that resumes exactly. */
  getState(): { step: number; m: Float32Array[]; v: Float32Array[] } {
    return { step: this.step, m: this.m.map((a) => a.slice()), v: this.v.map((a) => a.slice()) };
  }

  setState(state: { step: number; m: readonly Float32Array[]; v: readonly Float32Array[] }): void {
    for (const [name, given, own] of [['m', state.m, this.m], ['v', state.v, this.v]] as const) {
      if (given.length !== own.length) throw new Error(`Adam state: ${given.length} ${name} arrays, expected ${own.length}`);
      given.forEach((a, i) => {
        if (a.length !== own[i]!.length) throw new Error(`Adam state: ${name}[${i}] has ${a.length} values, expected ${own[i]!.length}`);
        own[i]!.set(a);
      });
    }
    this.step = state.step;
  }

  dispose(): void {}
}
