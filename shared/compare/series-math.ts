/**
 * The compare view's arithmetic, pure so the server, the renderer and the CLI agree: EMA smoothing,
 * min/max buckets that keep every point, and seed-group statistics.
 */

export interface XYPoint {
  x: number;
  y: number;
}

/** Every point of one pixel column: nothing is sampled away, extremes survive as min and max. */
export interface Bucket {
  /** Mean x of the points in the bucket (where the line passes). */
  x: number;
  min: number;
  max: number;
  mean: number;
  /** The last raw value in the bucket. */
  last: number;
  /** The smoothed value at the bucket's last point (equals `last` without smoothing). */
  smooth: number;
  count: number;
}

/**
 * TensorBoard's smoothing: an exponential moving average with the start-up bias removed, so the
 * first points are not dragged towards zero. weight 0 leaves the values as they are.
 */
export function emaSmooth(values: readonly number[], weight: number): number[] {
  if (!(weight > 0)) return [...values];
  const out: number[] = [];
  let last = 0;
  let debias = 1;
  for (const v of values) {
    last = last * weight + (1 - weight) * v;
    debias *= weight;
    out.push(last / (1 - debias));
  }
  return out;
}

/**
 * Puts points (sorted by x) into `count` equal-width columns over [xMin, xMax]; points outside the
 * range are left out, empty columns give no bucket. `smooth` holds the smoothed value of each point.
 */
export function bucketize(points: readonly XYPoint[], smooth: readonly number[], xMin: number, xMax: number, count: number): Bucket[] {
  const buckets: Bucket[] = [];
  const width = xMax > xMin ? (xMax - xMin) / count : 1;
  let current: (Bucket & { index: number; sumX: number; sum: number }) | undefined;
  points.forEach((p, i) => {
    if (p.x < xMin || p.x > xMax) return;
    const index = Math.min(count - 1, Math.floor((p.x - xMin) / width));
    if (!current || current.index !== index) {
      if (current) buckets.push(finish(current));
      current = { index, sumX: 0, sum: 0, x: 0, min: p.y, max: p.y, mean: 0, last: p.y, smooth: 0, count: 0 };
    }
    current.sumX += p.x;
    current.sum += p.y;
    current.min = Math.min(current.min, p.y);
    current.max = Math.max(current.max, p.y);
    current.last = p.y;
    current.smooth = smooth[i] ?? p.y;
    current.count++;
  });
  if (current) buckets.push(finish(current));
  return buckets;
}

/**
 * bucketize(points, emaSmooth(ys, smoothing), xMin, xMax, count) over columns, in one pass and
 * without an object per point (the compare view reads 500,000 points for a sweep).
 */
export function bucketColumns(xs: ArrayLike<number>, ys: ArrayLike<number>, smoothing: number, xMin: number, xMax: number, count: number): Bucket[] {
  const buckets: Bucket[] = [];
  const width = xMax > xMin ? (xMax - xMin) / count : 1;
  const w = smoothing > 0 ? smoothing : 0;
  let average = 0;
  let debias = 1;
  let index = -1;
  let b: Bucket & { sumX: number; sum: number } = { x: 0, min: 0, max: 0, mean: 0, last: 0, smooth: 0, count: 0, sumX: 0, sum: 0 };
  const close = () => {
    if (b.count) buckets.push({ x: b.sumX / b.count, min: b.min, max: b.max, mean: b.sum / b.count, last: b.last, smooth: b.smooth, count: b.count });
  };
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    average = average * w + (1 - w) * y;
    debias *= w;
    if (x < xMin || x > xMax) continue;
    const column = Math.min(count - 1, Math.floor((x - xMin) / width));
    if (column !== index) {
      close();
      index = column;
      b = { x: 0, min: y, max: y, mean: 0, last: y, smooth: 0, count: 0, sumX: 0, sum: 0 };
    }
    b.sumX += x;
    b.sum += y;
    if (y < b.min) b.min = y;
    if (y > b.max) b.max = y;
    b.last = y;
    b.smooth = w > 0 ? average / (1 - debias) : y;
    b.count++;
  }
  close();
  return buckets;
}

function finish(b: Bucket & { index: number; sumX: number; sum: number }): Bucket {
  return { x: b.sumX / b.count, min: b.min, max: b.max, mean: b.sum / b.count, last: b.last, smooth: b.smooth, count: b.count };
}

export const BAND_KINDS = ['std', 'stderr', 'ci95'] as const;
export type BandKind = (typeof BAND_KINDS)[number];

/** Two-sided 95% Student t quantiles for 1..30 degrees of freedom; 1.96 beyond. */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093,
  2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export interface GroupStat {
  mean: number;
  /** The band's half-width: std, standard error, or the 95% CI's half-width (t distribution). */
  spread: number;
  n: number;
}

/** Mean and spread of one x over a seed group (sample std, n - 1; a single run has no spread). */
export function groupStat(values: readonly number[], band: BandKind): GroupStat {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, spread: 0, n };
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const stderr = std / Math.sqrt(n);
  const spread = band === 'std' ? std : band === 'stderr' ? stderr : stderr * (T95[n - 2] ?? 1.96);
  return { mean, spread, n };
}

export interface GroupPoint {
  x: number;
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

/**
 * Lines of a seed group on the same bucket columns: at each column where every member has a
 * point, the members' smoothed values give a mean and a band. Columns a member lacks are skipped
 * (a shorter run does not drag the mean).
 */
export function groupLines(members: readonly (readonly Bucket[])[], columnOf: (x: number) => number, band: BandKind): GroupPoint[] {
  const columns = new Map<number, { xs: number[]; ys: number[] }>();
  for (const buckets of members) {
    for (const b of buckets) {
      const c = columnOf(b.x);
      const entry = columns.get(c) ?? { xs: [], ys: [] };
      entry.xs.push(b.x);
      entry.ys.push(b.smooth);
      columns.set(c, entry);
    }
  }
  return [...columns.entries()]
    .filter(([, e]) => e.ys.length === members.length)
    .sort((a, b) => a[0] - b[0])
    .map(([, e]) => {
      const s = groupStat(e.ys, band);
      return { x: e.xs.reduce((a, b) => a + b, 0) / e.xs.length, mean: s.mean, lo: s.mean - s.spread, hi: s.mean + s.spread, n: s.n };
    });
}
