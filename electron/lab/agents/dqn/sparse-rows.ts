/**
 * Rows of a row-major float matrix as compressed sparse rows, bit for bit (-0 and NaN included):
 * how a checkpoint stores the replay buffer's states. A state has ~65 nonzero values of 520 (the
 * hashed docstring and code features), so its rows take about a fifth of the dense bytes, and a
 * full buffer's checkpoint about 45 MB instead of 210 MB.
 */
export interface SparseRows {
  /** offsets[r]..offsets[r + 1] index row r's entries; rows + 1 long. */
  readonly offsets: Uint32Array;
  readonly columns: Uint16Array;
  /** The entries' bits, as float32 words. */
  readonly values: Uint32Array;
}

/** The widest row a Uint16 column index can address. */
export const MAX_SPARSE_WIDTH = 65_536;

/**
 * `reuse`: an earlier encoding of the same matrix and which of its rows were written since (1 =
 * written); the others are copied from it instead of scanned (a replay buffer's checkpoint
 * re-encodes only what it stored since the last one). Rows past the earlier encoding are scanned.
 */
export function encodeRows(data: Float32Array, rows: number, width: number, reuse?: { previous: SparseRows; written: Uint8Array }): SparseRows {
  if (width > MAX_SPARSE_WIDTH) throw new Error(`rows of ${width} values are too wide to store sparse (at most ${MAX_SPARSE_WIDTH})`);
  const bits = new Uint32Array(data.buffer, data.byteOffset, rows * width);
  const previous = reuse?.previous;
  const reusable = previous ? Math.min(rows, previous.offsets.length - 1) : 0;
  const kept = (r: number) => r < reusable && reuse!.written[r] === 0;
  const offsets = new Uint32Array(rows + 1);
  let count = 0;
  for (let r = 0; r < rows; r++) {
    offsets[r] = count;
    if (kept(r)) count += previous!.offsets[r + 1]! - previous!.offsets[r]!;
    else for (let c = r * width; c < (r + 1) * width; c++) if (bits[c] !== 0) count++;
  }
  offsets[rows] = count;
  const columns = new Uint16Array(count);
  const values = new Uint32Array(count);
  for (let r = 0; r < rows; ) {
    if (kept(r)) {
      // A run of kept rows is one contiguous stretch of the earlier encoding.
      let end = r + 1;
      while (end < rows && kept(end)) end++;
      const [from, to] = [previous!.offsets[r]!, previous!.offsets[end]!];
      columns.set(previous!.columns.subarray(from, to), offsets[r]);
      values.set(previous!.values.subarray(from, to), offsets[r]);
      r = end;
      continue;
    }
    let k = offsets[r]!;
    const base = r * width;
    for (let c = 0; c < width; c++) {
      const b = bits[base + c]!;
      if (b !== 0) (columns[k] = c), (values[k] = b), k++;
    }
    r++;
  }
  return { offsets, columns, values };
}

/** Writes the encoded rows into `into` (row-major, `width` wide), zeroing what they leave out. */
export function decodeRows(into: Float32Array, width: number, sparse: SparseRows): void {
  const rows = sparse.offsets.length - 1;
  if (rows * width > into.length) throw new Error(`${rows} rows of ${width} do not fit in ${into.length} values`);
  const bits = new Uint32Array(into.buffer, into.byteOffset, rows * width);
  bits.fill(0);
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    for (let k = sparse.offsets[r]!; k < sparse.offsets[r + 1]!; k++) {
      const c = sparse.columns[k]!;
      if (c >= width) throw new Error(`row ${r} has an entry in column ${c}, past the width ${width}`);
      bits[base + c] = sparse.values[k]!;
    }
  }
}
