import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from './replay-buffer.ts';
import { decodeRows, encodeRows } from './sparse-rows.ts';

describe('sparse rows', () => {
  it('round-trips rows bit for bit, -0 and NaN included, storing only the nonzero entries', () => {
    const data = Float32Array.of(0, 1.5, 0, -0, 0, 0, NaN, 0, 0, 0, 0, 0, 3, 0, 0, -2);
    const sparse = encodeRows(data, 4, 4);
    expect(Array.from(sparse.offsets)).toEqual([0, 2, 3, 3, 5]);
    expect(Array.from(sparse.columns)).toEqual([1, 3, 2, 0, 3]);
    const back = new Float32Array(16).fill(7);
    decodeRows(back, 4, sparse);
    expect(new Uint32Array(back.buffer)).toEqual(new Uint32Array(data.buffer));
  });

  it('refuses an entry past the row width', () => {
    const sparse = encodeRows(Float32Array.of(0, 0, 0, 9), 1, 4);
    expect(() => decodeRows(new Float32Array(3), 4, sparse)).toThrow(/1 rows of 4 do not fit in 3 values/);
    expect(() => decodeRows(new Float32Array(6), 3, { ...sparse, offsets: Uint32Array.of(0, 1) })).toThrow(/column 3, past the width 3/);
  });

  it('is how a replay buffer stores its states, and a buffer still restores from dense states', () => {
    const buffer = new ReplayBuffer(4, 6, 2);
    const row = (k: number) => Float32Array.from({ length: 6 }, (_, c) => (c === k ? k + 0.5 : 0));
    for (let k = 0; k < 3; k++) buffer.add({ state: row(k), mask: Uint8Array.of(1, 0), action: 0, reward: k, nextState: row(k + 1), nextMask: Uint8Array.of(0, 1), discount: 0.9 });
    const saved = buffer.contents();
    expect(saved.states).toBeUndefined();
    expect(Array.from(saved['states.columns']!)).toEqual([0, 1, 2]);
    expect(Array.from(saved['states.offsets']!)).toEqual([0, 1, 2, 3]);
    const sparse = new ReplayBuffer(4, 6, 2);
    sparse.restore(saved, buffer.size, buffer.cursor);
    const dense = new ReplayBuffer(4, 6, 2);
    dense.restore({ ...saved, states: buffer.states.slice(0, 18), nextStates: buffer.nextStates.slice(0, 18) }, buffer.size, buffer.cursor);
    for (const restored of [sparse, dense]) {
      expect(restored.states).toEqual(buffer.states);
      expect(restored.nextStates).toEqual(buffer.nextStates);
      expect(restored.gather(Int32Array.of(2, 0))).toEqual(buffer.gather(Int32Array.of(2, 0)));
    }
  });

  it('copies the rows not written since an earlier encoding from it, and scans the written ones and the new', () => {
    const data = Float32Array.of(1, 0, 0, 0, 2, 0, 0, 0, 3, 4, 0, 5);
    const previous = encodeRows(data, 3, 3);
    data.set([0, 7, 0], 3); // row 1 written
    data.set([0, 0, 9], 0); // row 0 changed behind the encoding's back: its old entries must come back
    const reused = encodeRows(data, 4, 3, { previous, written: Uint8Array.of(0, 1, 0, 0) });
    expect(Array.from(reused.offsets)).toEqual([0, 1, 2, 3, 5]);
    expect(Array.from(reused.columns)).toEqual([0, 1, 2, 0, 2]);
    expect(Array.from(new Float32Array(reused.values.buffer))).toEqual([1, 7, 3, 4, 5]);
  });

  it("gives a replay buffer's later checkpoints the encoding a full scan gives, across the ring's wrap", () => {
    const buffer = new ReplayBuffer(5, 4, 1);
    const row = (k: number) => Float32Array.from({ length: 4 }, (_, c) => ((k + c) % 3 === 0 ? k + c / 10 : 0));
    const add = (k: number) => buffer.add({ state: row(k), mask: Uint8Array.of(1), action: 0, reward: 0, nextState: row(k + 1), nextMask: Uint8Array.of(1), discount: 0.9 });
    for (let k = 0; k < 3; k++) add(k);
    buffer.contents();
    for (let k = 3; k < 6; k++) add(k); // slots 3, 4 and 0 (the ring wraps); 1 and 2 are reused
    const saved = buffer.contents();
    for (const key of ['states', 'nextStates'] as const) {
      const full = encodeRows(buffer[key], 5, 4);
      expect([saved[`${key}.offsets`], saved[`${key}.columns`], saved[`${key}.values`]]).toEqual([full.offsets, full.columns, full.values]);
    }
  });
});
