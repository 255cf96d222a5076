/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) whose whole state is four uint32 words, so
 * a checkpoint can store it and a resumed run draws exactly the numbers it would have drawn.
 * Math.random cannot be seeded or saved; that is why the agents use this instead.
 */
export type RngState = readonly [number, number, number, number];

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const splitmix = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    // sfc32's authors discard the first outputs so nearby seeds decorrelate.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  static fromState(state: RngState): Rng {
    const rng = new Rng(0);
    rng.setState(state);
    return rng;
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
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

  /**
   * An index among the set entries of a 0/1 mask, drawn with probability proportional to
   * `weights` (negative weights count as 0; uniform when absent or when every weight is 0). One draw.
   */
  pickWeighted(mask: Uint8Array, weights?: ArrayLike<number>): number {
    let total = 0;
    for (let a = 0; a < mask.length; a++) if (mask[a]) total += weights ? Math.max(0, weights[a]!) : 1;
    const uniform = !weights || total <= 0;
    if (uniform) {
      total = 0;
      for (let a = 0; a < mask.length; a++) total += mask[a]!;
    }
    let r = this.next() * total;
    let last = -1;
    for (let a = 0; a < mask.length; a++) {
      if (!mask[a]) continue;
      const w = uniform ? 1 : Math.max(0, weights![a]!);
      if (w === 0) continue;
      last = a;
      if ((r -= w) < 0) return a;
    }
    return last;
  }

  getState(): RngState {
    return [this.a, this.b, this.c, this.d];
  }

  setState(state: RngState): void {
    [this.a, this.b, this.c, this.d] = state.map((x) => x >>> 0) as [number, number, number, number];
  }
}
