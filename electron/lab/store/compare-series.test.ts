import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSweepRuns } from '#lab/bench/sweep-runs.ts';
import { bucketColumns, bucketize, emaSmooth } from '#shared/compare/series-math.ts';
import { summarizeAtStep, summarizeColumns } from '#shared/compare/step-summary.ts';
import { metricSeries, seriesColumns } from './compare-series.ts';
import { openDatabase } from './database.ts';
import { getExperiment } from './experiments.ts';
import { readMetrics } from './metrics.ts';
import { RunWriter } from './run-writer.ts';
import { SeriesCache } from './series-cache.ts';

const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'lab-series-')), 'lab.sqlite'));
const [id] = writeSweepRuns(db, { runs: 1, points: 997, metrics: ['charts/episodic_return'] });
const NAME = 'charts/episodic_return';

function expectSameBuckets(smoothing: number, lo: number, hi: number, count: number) {
  const points = metricSeries(db, id!, NAME, 'step');
  const expected = bucketize(points, emaSmooth(points.map((p) => p.y), smoothing), lo, hi, count);
  const { xs, ys } = seriesColumns(db, id!, NAME, 'step');
  const actual = bucketColumns(xs, ys, smoothing, lo, hi, count);
  expect(actual.length).toBe(expected.length);
  actual.forEach((b, i) => {
    const e = expected[i]!;
    expect(b.count).toBe(e.count);
    for (const key of ['x', 'min', 'max', 'mean', 'last', 'smooth'] as const) expect(b[key]).toBeCloseTo(e[key], 12);
  });
}

describe('seriesColumns and bucketColumns', () => {
  it('give the buckets of bucketize with emaSmooth over the whole run', () => expectSameBuckets(0.6, 8, 7976, 100));
  it('smooth a zoomed range with the points before it', () => expectSameBuckets(0.95, 2000, 3000, 37));
  it('without smoothing, the smoothed value is the last raw value', () => expectSameBuckets(0, 8, 7976, 600));

  it('summarizeColumns agrees with summarizeAtStep at the end and at a step, higher and lower better', () => {
    const points = readMetrics(db, id!, [NAME]);
    const { xs, ys } = seriesColumns(db, id!, NAME, 'step');
    for (const at of [null, 4000, 3]) for (const lower of [false, true]) expect(summarizeColumns(xs, ys, at, lower)).toEqual(summarizeAtStep(points, at, lower));
  });
});

describe('SeriesCache', () => {
  it('serves a finished run from memory until the run is written to again', () => {
    const cache = new SeriesCache(db);
    const first = cache.columns(getExperiment(db, id!)!, NAME, 'step');
    expect(cache.columns(getExperiment(db, id!)!, NAME, 'step')).toBe(first);
    const writer = new RunWriter(db, id!);
    writer.metric(NAME, 1_000_000, 998, 1, 5);
    writer.flush();
    expect(cache.columns(getExperiment(db, id!)!, NAME, 'step').xs.length).toBe(first.xs.length + 1);
  });

  it('reads a running run afresh every time', () => {
    const cache = new SeriesCache(db);
    const running = { ...getExperiment(db, id!)!, status: 'running' as const };
    expect(cache.columns(running, NAME, 'step')).not.toBe(cache.columns(running, NAME, 'step'));
    expect(cache.size).toBe(0);
  });

  it('lets the least recently used runs go past its size', () => {
    const cache = new SeriesCache(db, 1500);
    const e = getExperiment(db, id!)!;
    cache.columns(e, NAME, 'step');
    cache.columns(e, NAME, 'episode');
    expect(cache.size).toBe(1);
  });
});
