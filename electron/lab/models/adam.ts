import * as tf from '@tensorflow/tfjs';
import { instantiateKernel } from './kernels/kernel-file.ts';
import { heapBackend, heapPointer, tensorValues, wasmModule, type HeapBackend } from './heap.ts';

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
  adam(w: number, wOut: number, g: number, m: number, v: number, n: number, b1: number, b2: number, step: number, eps: number): void;
  decay(w: number, wOut: number, m: number, v: number, n: number, b1: number, b2: number, step: number, eps: number): void;
}

/** Where the optimizer's float32 arrays live: byte offsets into one WebAssembly memory. */
interface KernelMemory {
  readonly memory: WebAssembly.Memory;
  /** Byte offsets of new arrays of these lengths. */
  allocate(lengths: readonly number[]): number[];
  /** The tfjs heap: tensors are read and written where they are. */
  readonly heap?: HeapBackend;
  free(): void;
}

/**
 * On the wasm backend, tfjs's own memory: the kernel reads the parameter and gradient tensors and
 * writes the new parameter tensor in place, with the moments allocated beside them (copying the
 * seed network's 3.1M weights in and out cost ~1 ms each way).
 */
function tfjsHeapMemory(): KernelMemory | undefined {
  const heap = heapBackend();
  const wasm = wasmModule();
  if (!heap || !wasm) return undefined;
  const memory = wasm.asm.memory;
  const pointers: number[] = [];
  return {
    memory,
    heap,
    allocate: (lengths) => lengths.map((n) => {
      const pointer = wasm._malloc(4 * n);
      pointers.push(pointer);
      new Float32Array(memory.buffer, pointer, n).fill(0);
      return pointer;
    }),
    free: () => pointers.splice(0).forEach((pointer) => wasm._free(pointer)),
  };
}

/** Elsewhere a memory of its own, 16-byte aligned arrays in one fixed-size memory (growing would detach views). */
function ownMemory(lengths: readonly number[]): KernelMemory {
  const aligned = (n: number) => Math.ceil((4 * n) / 16) * 16;
  const pages = Math.max(1, Math.ceil(lengths.reduce((sum, n) => sum + aligned(n), 0) / 65536));
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  let next = 0;
  return {
    memory,
    allocate: (sizes) => sizes.map((n) => {
      const pointer = next;
      next += aligned(n);
      return pointer;
    }),
    free: () => {},
  };
}

/**
 * Adam with PyTorch's defaults and formula (bias-corrected moments), run by a small WebAssembly
 * SIMD kernel (kernels/adam.wat) over the weights, gradients and both moments. The JavaScript loop
 * it replaces spent ~8 ns an element on the seed network's 3.1M weights (docs/toolchain.md, "Adam's
 * kernel"). On the wasm backend the kernel works in tfjs's memory: it reads the parameter and its
 * gradient where they are and writes the new weight straight into a fresh tensor (fresh because
 * XNNPACK caches packed operands per tensor). Elsewhere the weights are copied into the kernel's
 * own memory and back. A checkpoint copies the moments as they are.
 */
export class Adam {
  step = 0;
  private readonly memory: KernelMemory;
  private readonly kernel: AdamKernel;
  private readonly sizes: number[];
  private readonly mAt: number[];
  private readonly vAt: number[];
  private readonly scratchAt: number;
  /** Own memory only: where each parameter's weights are kept, and the parameters the last step returned (whose values they are). */
  private readonly weightsAt: number[] = [];
  private made: readonly tf.Tensor2D[] = [];

  constructor(
    readonly shapes: readonly (readonly [number, number])[],
    /** Mutable: a trainer may schedule it (DqnAgent.setLearningRate). */
    public learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-8,
  ) {
    this.sizes = shapes.map((s) => s[0] * s[1]);
    const largest = Math.max(...this.sizes);
    const heapMemory = tfjsHeapMemory();
    this.memory = heapMemory ?? ownMemory([...this.sizes, ...this.sizes, ...this.sizes, largest]);
    this.mAt = this.memory.allocate(this.sizes);
    this.vAt = this.memory.allocate(this.sizes);
    [this.scratchAt] = this.memory.allocate([largest]) as [number];
    if (!heapMemory) this.weightsAt = this.memory.allocate(this.sizes);
    this.kernel = instantiateKernel<AdamKernel>('adam', this.memory.memory);
  }

  private view = (pointer: number, n: number): Float32Array => new Float32Array(this.memory.memory.buffer, pointer, n);

  /** First moments, one per parameter: views, valid until the next tensor allocation. */
  get m(): Float32Array[] {
    return this.sizes.map((n, i) => this.view(this.mAt[i]!, n));
  }

  /** Second moments, as `m`. */
  get v(): Float32Array[] {
    return this.sizes.map((n, i) => this.view(this.vAt[i]!, n));
  }

  /** Returns the updated parameters; the caller disposes the old ones and the gradients. */
  apply(params: readonly tf.Tensor2D[], grads: readonly Gradient[]): tf.Tensor2D[] {
    this.step += 1;
    const c2 = Math.sqrt(1 - this.beta2 ** this.step);
    // lr * m_hat / (sqrt(v_hat) + eps) rewritten so the bias corrections fold into two scalars.
    const stepSize = (this.learningRate * c2) / (1 - this.beta1 ** this.step);
    const eps = this.epsilon * c2;
    const { heap } = this.memory;
    if (heap && tf.getBackend() !== 'wasm') throw new Error('Adam: made on the wasm backend, stepped on another');
    // Every output is allocated before any heap view or pointer is used: an allocation may grow
    // the heap, which detaches the views made before it.
    const outputs = heap ? params.map((p) => heap.makeOutput([...p.shape], 'float32')) : undefined;
    const pointerOf = (t: Parameters<typeof heapPointer>[1]): number => heapPointer(heap!, t);
    const made = params.map((p, i) => {
      const n = this.sizes[i]!;
      let from: number;
      let to: number;
      if (outputs) (from = pointerOf(p)), (to = pointerOf(outputs[i]!));
      else {
        from = to = this.weightsAt[i]!;
        // Own memory still holds what the last step made, unless the weights were replaced since.
        if (this.made[i] !== p) this.view(from, n).set(p.dataSync() as Float32Array);
      }
      const g = grads[i]!;
      if (isSparse(g)) this.sparseStep(i, from, to, g.rows, heap ? tensorValues(g.values, heap) : (g.values.dataSync() as Float32Array), g.shape[1], stepSize, eps);
      else {
        const gradientAt = heap ? pointerOf(g) : this.scratchAt;
        if (!heap) this.view(this.scratchAt, n).set(g.dataSync() as Float32Array);
        this.kernel.adam(from, to, gradientAt, this.mAt[i]!, this.vAt[i]!, n, this.beta1, this.beta2, stepSize, eps);
      }
      if (outputs) return tf.engine().makeTensorFromTensorInfo(outputs[i]!) as tf.Tensor2D;
      return tf.tensor2d(this.view(to, n).slice(), p.shape);
    });
    this.made = made;
    return made;
  }

  /** A layer whose gradient is nonzero in some rows only: those rows summed, the rest decay their moments. */
  private sparseStep(i: number, from: number, to: number, rows: Int32Array, values: Float32Array, cols: number, stepSize: number, eps: number): void {
    const touched = [...new Set(rows)].sort((a, b) => a - b);
    const slot = new Map(touched.map((r, k) => [r, k]));
    const scratch = this.view(this.scratchAt, touched.length * cols).fill(0);
    rows.forEach((r, k) => {
      const at = slot.get(r)! * cols;
      for (let c = 0; c < cols; c++) scratch[at + c]! += values[k * cols + c]!;
    });
    const { beta1: b1, beta2: b2 } = this;
    const at = (base: number, row: number) => base + 4 * row * cols;
    const [m, v] = [this.mAt[i]!, this.vAt[i]!];
    let next = 0;
    const decayUpTo = (row: number) => {
      if (row > next) this.kernel.decay(at(from, next), at(to, next), at(m, next), at(v, next), (row - next) * cols, b1, b2, stepSize, eps);
    };
    touched.forEach((r, k) => {
      decayUpTo(r);
      this.kernel.adam(at(from, r), at(to, r), at(this.scratchAt, k), at(m, r), at(v, r), cols, b1, b2, stepSize, eps);
      next = r + 1;
    });
    decayUpTo(this.sizes[i]! / cols);
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

  dispose(): void {
    this.memory.free();
  }
}
