/**
 * A small seeded generator (mulberry32) whose whole state is one number, so a checkpoint can store
 * it and a resumed run draws the same sequence. Not for cryptography.
 */
export class SeededRandom {
  constructor(private state: number) {
    this.state = state >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A uniformly drawn index among the set entries of a 0/1 mask; -1 when none is set. */
  pick(mask: Uint8Array): number {
    let count = 0;
    for (let i = 0; i < mask.length; i++) count += mask[i]!;
    if (count === 0) return -1;
    let k = this.int(count);
    for (let i = 0; i < mask.length; i++) if (mask[i] === 1 && k-- === 0) return i;
    return -1;
  }

  get seed(): number {
    return this.state;
  }
}
