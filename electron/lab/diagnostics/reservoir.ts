/**
 * A uniform sample of at most `capacity` values from a stream of unknown length (reservoir
 * sampling), in bounded memory: a window's quantiles then cost O(capacity log capacity) once.
 * It draws from its own generator (xorshift), never from a run's seeded streams, so recording
 * diagnostics cannot change what a run does.
 */
export class Reservoir {
  private values: number[] = [];
  private seen = 0;
  private draws = 0x9e3779b9;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.values.length;
  }

  /** Values offered since the last `take`. */
  get offered(): number {
    return this.seen;
  }

  add(value: number): void {
    this.seen++;
    if (this.values.length < this.capacity) {
      this.values.push(value);
      return;
    }
    this.draws ^= this.draws << 13;
    this.draws ^= this.draws >>> 17;
    this.draws ^= this.draws << 5;
    const slot = (this.draws >>> 0) % this.seen;
    if (slot < this.capacity) this.values[slot] = value;
  }

  clear(): void {
    this.values = [];
    this.seen = 0;
  }

  /** The sample's values at these quantiles (nearest rank) and its mean; empties the reservoir. */
  take(quantiles: readonly number[]): { quantiles: number[]; mean: number; n: number } {
    const sorted = Float64Array.from(this.values).sort();
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
    const result = { quantiles: quantiles.map(at), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length, n: this.seen };
    this.clear();
    return result;
  }
}
