import * as tf from '@tensorflow/tfjs';
import { disposeSparse, sparseStates, type SparseStates } from './sparse-states.ts';

/**
 * A batch of states as the first layer reads it. States whose first `prefix` values repeat across
 * the batch (the problem block: a replay batch of the seed's 8 training problems holds at most 8
 * distinct ones) are split: the distinct prefixes are multiplied once each, and a one-hot selection
 * hands each state its prefix's product, so the first layer's 520 x 256 product per state shrinks
 * to 264 x 256 plus 256 x 256 per distinct prefix (docs/toolchain.md, "A shared prefix").
 * Where the backend allows it, the states go as compressed rows of their set values instead
 * (sparse-states.ts): the whole state, or the distinct prefixes and each state's rest.
 */
export interface NetworkInput {
  readonly count: number;
  /** [stateSize, count]: every state as one column (no split, not sparse). */
  readonly columns?: tf.Tensor2D;
  readonly split?: SplitInput;
  /** The states from column `sparse.from` on: the whole state (from 0), or the rest after `shared`'s prefix. */
  readonly sparse?: SparseStates;
  readonly shared?: SparseSplit;
}

/** A split of sparse states: the distinct prefixes once each, and which one each state has. */
export interface SparseSplit {
  /** [distinct] rows of the prefix's columns. */
  readonly prefixes: SparseStates;
  /** [distinct, count]: column b is one-hot at state b's prefix. */
  readonly select: tf.Tensor2D;
}

export interface SplitInput {
  /** [prefix, distinct]: each distinct prefix once, as columns. */
  readonly prefixes: tf.Tensor2D;
  /** [distinct, count]: column b is one-hot at state b's prefix. */
  readonly select: tf.Tensor2D;
  /** [stateSize - prefix, count]: the rest of each state, as columns. */
  readonly rest: tf.Tensor2D;
  /** The same three row-major, for the first layer's weight gradient: [distinct, prefix], [count, distinct], [count, stateSize - prefix]. */
  readonly prefixRows: tf.Tensor2D;
  readonly selectRows: tf.Tensor2D;
  readonly restRows: tf.Tensor2D;
}

/** Splitting pays when a prefix is shared by this many states on average (fewer distinct: more saved). */
const MIN_STATES_PER_PREFIX = 4;
/** Batches smaller than this run dense: acting's 16 states gain nothing worth the extra products. */
const MIN_SPLIT_COUNT = 32;

/** Transposes a row-major [rows, cols] array into a [cols, rows] tensor (cheap in JS for 64-row batches). */
export function columns(data: Float32Array | Uint8Array, rows: number, cols: number): tf.Tensor2D {
  const t = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = data[r * cols + c]!;
  return tf.tensor2d(t, [cols, rows]);
}

/**
 * Each state's prefix as an index into the distinct prefixes, first seen first; undefined as soon
 * as there are more than `most` (a batch not worth splitting costs no more than that to tell).
 */
export function distinctPrefixes(states: Float32Array, count: number, stateSize: number, prefix: number, most = count): { which: Int32Array; firsts: number[] } | undefined {
  const bits = new Uint32Array(states.buffer, states.byteOffset, count * stateSize);
  const byHash = new Map<number, number[]>();
  const firsts: number[] = [];
  const which = new Int32Array(count);
  const same = (a: number, b: number) => {
    for (let i = 0; i < prefix; i++) if (bits[a * stateSize + i] !== bits[b * stateSize + i]) return false;
    return true;
  };
  for (let b = 0; b < count; b++) {
    let h = 0x811c9dc5;
    for (let i = 0; i < prefix; i++) h = Math.imul(h ^ bits[b * stateSize + i]!, 0x01000193);
    const candidates = byHash.get(h) ?? [];
    const found = candidates.find((k) => same(firsts[k]!, b));
    if (found !== undefined) which[b] = found;
    else {
      if (firsts.length === most) return undefined;
      which[b] = firsts.length;
      candidates.push(firsts.length);
      byHash.set(h, candidates);
      firsts.push(b);
    }
  }
  return { which, firsts };
}

/** The distinct prefixes, row-major [distinct, prefix], and the one-hot selection [count, distinct]. */
function prefixGroups(states: Float32Array, count: number, stateSize: number, prefix: number, found: { which: Int32Array; firsts: number[] }) {
  const distinct = found.firsts.length;
  const prefixRows = new Float32Array(distinct * prefix);
  found.firsts.forEach((b, k) => prefixRows.set(states.subarray(b * stateSize, b * stateSize + prefix), k * prefix));
  const selectRows = new Float32Array(count * distinct);
  found.which.forEach((k, b) => (selectRows[b * distinct + k] = 1));
  return { distinct, prefixRows, selectRows };
}

/**
 * The first layer's input for `count` row-major states; `prefix` 0 never splits, `sparse` asks for
 * compressed rows (sparseFirstLayerAvailable). The caller disposes it (`disposeInput`).
 */
export function networkInput(states: Float32Array, count: number, stateSize: number, prefix: number, sparse = false): NetworkInput {
  const found = prefix > 0 && count >= MIN_SPLIT_COUNT ? distinctPrefixes(states, count, stateSize, prefix, Math.floor(count / MIN_STATES_PER_PREFIX)) : undefined;
  const groups = found && prefixGroups(states, count, stateSize, prefix, found);
  if (sparse) {
    const prefixes = groups && sparseStates(groups.prefixRows, groups.distinct, prefix, 0);
    const rest = prefixes && sparseStates(states, count, stateSize, prefix);
    if (groups && prefixes && rest) return { count, sparse: rest, shared: { prefixes, select: columns(groups.selectRows, count, groups.distinct) } };
    if (prefixes) disposeSparse(prefixes);
    const whole = sparseStates(states, count, stateSize, 0);
    if (whole) return { count, sparse: whole };
  }
  if (!groups) return { count, columns: columns(states, count, stateSize) };
  const { distinct, prefixRows, selectRows } = groups;
  const rest = stateSize - prefix;
  const restRows = new Float32Array(count * rest);
  for (let b = 0; b < count; b++) restRows.set(states.subarray(b * stateSize + prefix, (b + 1) * stateSize), b * rest);
  return {
    count,
    split: {
      prefixes: columns(prefixRows, distinct, prefix),
      select: columns(selectRows, count, distinct),
      rest: columns(restRows, count, rest),
      prefixRows: tf.tensor2d(prefixRows, [distinct, prefix]),
      selectRows: tf.tensor2d(selectRows, [count, distinct]),
      restRows: tf.tensor2d(restRows, [count, rest]),
    },
  };
}

export function disposeInput(input: NetworkInput): void {
  tf.dispose([input.columns, ...Object.values(input.split ?? {})].filter((t): t is tf.Tensor => t !== undefined));
  if (input.sparse) disposeSparse(input.sparse);
  if (input.shared) (disposeSparse(input.shared.prefixes), input.shared.select.dispose());
}
