import type { XAxis } from '#shared/api/compare-api.ts';
import type { Experiment } from '#shared/experiments/experiment.ts';
import { seriesColumns } from './compare-series.ts';
import type { LabDatabase } from './database.ts';

interface Entry {
  xs: Float64Array;
  ys: Float64Array;
  /** The run's updated_at and last step when read: a run written to since is read again. */
  version: string;
}

/**
 * Metric columns of finished runs, kept in memory (least recently used first out) so the compare
 * view's zoom, smoothing and step table re-bucket in memory instead of reading a sweep's 500,000
 * points from SQLite on every change. A run still training is always read afresh; a finished
 * run's points change only through a resume, which moves its updated_at or its last step (one
 * index seek checks them on every use).
 */
export class SeriesCache {
  private readonly entries = new Map<string, Entry>();
  private points = 0;

  constructor(
    private readonly db: LabDatabase,
    /** The most points kept (x and y: 16 bytes each). */
    private readonly maxPoints = 4_000_000,
  ) {}

  columns(experiment: Experiment, name: string, x: XAxis): { xs: Float64Array; ys: Float64Array } {
    const live = experiment.status === 'running' || experiment.status === 'paused' || experiment.status === 'created';
    if (live) return seriesColumns(this.db, experiment.id, name, x);
    const key = `${experiment.id}\u0000${name}\u0000${x}`;
    const hit = this.entries.get(key);
    const last = this.db.prepare('SELECT max(step) FROM metrics WHERE experiment_id = ? AND name = ?').pluck().get(experiment.id, name) as number | null;
    const version = `${experiment.updated_at}|${last}`;
    if (hit && hit.version === version) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    if (hit) this.drop(key, hit);
    const read: Entry = { ...seriesColumns(this.db, experiment.id, name, x), version };
    this.entries.set(key, read);
    this.points += read.xs.length;
    for (const [oldest, entry] of this.entries) {
      if (this.points <= this.maxPoints || oldest === key) break;
      this.drop(oldest, entry);
    }
    return read;
  }

  get size(): number {
    return this.entries.size;
  }

  private drop(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.points -= entry.xs.length;
  }
}
