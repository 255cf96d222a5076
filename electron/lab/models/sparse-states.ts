import * as tf from '@tensorflow/tfjs';
import { instantiateKernel } from './kernels/kernel-file.ts';
import { heapBackend, heapPointer, tensorValues, wasmModule, type HeapBackend } from './heap.ts';

/**
 * States as compressed rows, for a first layer that multiplies the values that are set and nothing
 * else (kernels/sparse.wat). A state's code block is ~15% set and the problem block ~40%, so on the
 * wasm backend this replaces the largest dense products of acting and of the update
 * (docs/toolchain.md, "The first layer over set values").
 */
export interface SparseStates {
  readonly count: number;
  /** The first state column the rows hold (the columns before it go through the dense path). */
  readonly from: number;
  /** Columns held per state: stateSize - from. */
  readonly width: number;
  /** [count + 1] int32: row r's entries are starts[r]..starts[r+1]-1. */
  readonly starts: tf.Tensor1D;
  /** [entries] int32: each entry's column, counted from `from`. */
  readonly columns: tf.Tensor1D;
  /** [entries] float32. */
  readonly values: tf.Tensor1D;
}

/** Above this share of set values the dense product (XNNPACK) is as fast: the states stay dense. */
const MAX_DENSITY = 0.6;

interface SparseKernel {
  rowsTimes(starts: number, idx: number, vals: number, rows: number, d: number, cols: number, bias: number, out: number): void;
  scatterRows(starts: number, idx: number, vals: number, rows: number, g: number, cols: number, out: number): void;
  transpose(src: number, rows: number, cols: number, dst: number): void;
}

let bound: { memory: WebAssembly.Memory; kernel: SparseKernel } | undefined;

/** The kernel over tfjs's heap, or undefined off the wasm backend (every caller then stays dense). */
function heapKernel(): { heap: HeapBackend; kernel: SparseKernel } | undefined {
  const heap = heapBackend();
  const memory = wasmModule()?.asm.memory;
  if (!heap || !memory) return undefined;
  if (bound?.memory !== memory) bound = { memory, kernel: instantiateKernel<SparseKernel>('sparse', memory) };
  return { heap, kernel: bound.kernel };
}

/** Whether a first layer `outputs` wide can take sparse states on the active backend. */
export function sparseFirstLayerAvailable(outputs: number): boolean {
  return outputs % 16 === 0 && heapKernel() !== undefined;
}

/**
 * Columns `from`.. of `count` row-major states as compressed rows; undefined when more than
 * MAX_DENSITY of them are set. The caller disposes it (`disposeSparse`).
 */
export function sparseStates(states: Float32Array, count: number, stateSize: number, from: number): SparseStates | undefined {
  const width = stateSize - from;
  let entries = 0;
  for (let b = 0; b < count; b++) {
    const row = b * stateSize + from;
    for (let i = 0; i < width; i++) if (states[row + i] !== 0) entries++;
  }
  if (entries > MAX_DENSITY * count * width) return undefined;
  const starts = new Int32Array(count + 1);
  const columns = new Int32Array(entries);
  const values = new Float32Array(entries);
  let k = 0;
  for (let b = 0; b < count; b++) {
    const row = b * stateSize + from;
    for (let i = 0; i < width; i++) {
      const x = states[row + i]!;
      if (x !== 0) (columns[k] = i), (values[k] = x), k++;
    }
    starts[b + 1] = k;
  }
  return { count, from, width, starts: tf.tensor1d(starts, 'int32'), columns: tf.tensor1d(columns, 'int32'), values: tf.tensor1d(values, 'float32') };
}

export function disposeSparse(s: SparseStates): void {
  tf.dispose([s.starts, s.columns, s.values]);
}

/** Fresh output tensors, made before any pointer is taken: an allocation may grow (and move) the heap. */
function outputs(heap: HeapBackend, shapes: number[][]): tf.Tensor2D[] {
  return shapes.map((shape) => tf.engine().makeTensorFromTensorInfo(heap.makeOutput(shape, 'float32')) as tf.Tensor2D);
}

/** The kernel, the heap, and `at`: a tensor's pointer in the heap for the kernel's arguments. */
function requireKernel(): { heap: HeapBackend; kernel: SparseKernel; at: (t: tf.Tensor) => number } {
  const found = heapKernel();
  if (!found) throw new Error('sparse states need the wasm backend');
  return { ...found, at: (t) => heapPointer(found.heap, t) };
}

/**
 * [count, outputs]: row r is bias (none if absent) + state r's set values times the rows of
 * `weightT` ([in, outputs], the first layer's weight transposed) they select, from row `s.from` on.
 */
export function sparseTimes(s: SparseStates, weightT: tf.Tensor2D, bias?: tf.Tensor2D): tf.Tensor2D {
  const { heap, kernel, at } = requireKernel();
  const cols = weightT.shape[1];
  const [out] = outputs(heap, [[s.count, cols]]);
  kernel.rowsTimes(at(s.starts), at(s.columns), at(s.values), s.count, at(weightT) + 4 * s.from * cols, cols, bias ? at(bias) : 0, at(out!));
  return out!;
}

/** Rows of sparse states and, per row, a gradient row [count, outputs] to scatter by its set values. */
export interface GradientPart {
  readonly states: SparseStates;
  readonly rows: tf.Tensor2D;
}

/**
 * The first layer's weight gradient [outputs, inputs]: for every part, each state's gradient row
 * times its set values, added into the columns they select (sum over parts of rows^T @ states).
 */
export function sparseWeightGradient(parts: readonly GradientPart[], inputs: number): tf.Tensor2D {
  const { heap, kernel, at } = requireKernel();
  const cols = parts[0]!.rows.shape[1];
  const [scratch, gradient] = outputs(heap, [[inputs, cols], [cols, inputs]]);
  tensorValues(scratch!, heap).fill(0);
  for (const { states: s, rows } of parts) kernel.scatterRows(at(s.starts), at(s.columns), at(s.values), s.count, at(rows), cols, at(scratch!) + 4 * s.from * cols);
  kernel.transpose(at(scratch!), inputs, cols, at(gradient!));
  scratch!.dispose();
  return gradient!;
}

/** A [rows, cols] matrix transposed; tf.transpose took five times as long for the first layer's 256 x 520. */
export function transposed(matrix: tf.Tensor2D): tf.Tensor2D {
  const { heap, kernel, at } = requireKernel();
  const [rows, cols] = matrix.shape;
  const [out] = outputs(heap, [[cols, rows]]);
  kernel.transpose(at(matrix), rows, cols, at(out!));
  return out!;
}
