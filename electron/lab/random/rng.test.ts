import { describe, expect, it } from 'vitest';
import { Rng } from './rng.ts';

describe('Rng', () => {
  it('repeats a sequence for the same seed and resumes exactly from a saved state', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const first = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(first);
    const saved = a.getState();
    const rest = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => Rng.fromState(saved).next())).not.toEqual(rest);
    const resumed = Rng.fromState(saved);
    expect(Array.from({ length: 5 }, () => resumed.next())).toEqual(rest);
  });

  it('draws different sequences for nearby seeds and stays in range', () => {
    expect(new Rng(1).nextUint32()).not.toBe(new Rng(2).nextUint32());
    const r = new Rng(7);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[r.int(4)]! += 1;
    for (const c of counts) expect(c > 900 && c < 1100).toBe(true);
  });
});

describe('Rng.pick', () => {
  it('draws only set entries of a mask, each of them, and -1 from an empty mask', () => {
    const rng = new Rng(11);
    const mask = new Uint8Array([0, 1, 0, 1, 1]);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(rng.pick(mask));
    expect([...seen].sort()).toEqual([1, 3, 4]);
    expect(rng.pick(new Uint8Array(3))).toBe(-1);
  });
});
