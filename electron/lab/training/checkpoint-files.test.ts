import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCompleteCheckpoint, listCheckpointDirs, readCheckpoint, writeCheckpoint } from './checkpoint-files.ts';

const root = () => mkdtempSync(join(tmpdir(), 'lab-ckpt-'));

describe('checkpoint files', () => {
  it('round-trips meta and typed arrays of every kind, bit for bit', () => {
    const dir = join(root(), 'ep-000100');
    const arrays = {
      weights: new Float32Array([1.5, -2.25, NaN, Infinity]),
      moments: new Float64Array([1e-300, -0]),
      actions: new Int32Array([3, -1, 7]),
      masks: new Uint8Array([1, 0, 1, 1, 0]),
      rng: new Uint32Array([0xdeadbeef, 42]),
    };
    writeCheckpoint(dir, { meta: { episode: 100, epsilon: 0.5 }, arrays });
    const back = readCheckpoint(dir);
    expect(back.meta).toEqual({ episode: 100, epsilon: 0.5 });
    expect(Object.keys(back.arrays)).toEqual(Object.keys(arrays));
    for (const [name, array] of Object.entries(arrays)) {
      expect(back.arrays[name]!.constructor).toBe(array.constructor);
      expect(Buffer.from(back.arrays[name]!.buffer, back.arrays[name]!.byteOffset, back.arrays[name]!.byteLength)).toEqual(
        Buffer.from(array.buffer, array.byteOffset, array.byteLength),
      );
    }
  });

  it('replaces an existing checkpoint of the same name whole', () => {
    const dir = join(root(), 'best');
    writeCheckpoint(dir, { meta: 1, arrays: { a: new Float32Array([1]) } });
    writeCheckpoint(dir, { meta: 2, arrays: { b: new Float32Array([2, 3]) } });
    expect(readCheckpoint(dir)).toEqual({ meta: 2, arrays: { b: new Float32Array([2, 3]) } });
  });

  it('does not count a folder without its completion marker, and removes leftover partial folders', () => {
    const base = root();
    writeCheckpoint(join(base, 'ep-1'), { meta: 1, arrays: {} });
    mkdirSync(join(base, 'ep-2'));
    writeFileSync(join(base, 'ep-2', 'manifest.json'), '{}');
    mkdirSync(join(base, 'ep-3.partial'));
    expect(isCompleteCheckpoint(join(base, 'ep-2'))).toBe(false);
    expect(listCheckpointDirs(base)).toEqual(['ep-1']);
    expect(existsSync(join(base, 'ep-3.partial'))).toBe(false);
    expect(() => readCheckpoint(join(base, 'ep-2'))).toThrow('not a complete checkpoint');
  });
});
