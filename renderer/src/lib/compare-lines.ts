import type { CompareSeries } from '#shared/api/compare-api.ts';
import type { Experiment } from '#shared/experiments/experiment.ts';
import { seedGroupKey } from '#shared/compare/config-diff.ts';
import { groupLines, type BandKind } from '#shared/compare/series-math.ts';

export const PALETTE = ['#2f6fde', '#d9480f', '#2b8a3e', '#9c36b5', '#c2255c', '#0b7285', '#e67700', '#5f3dc4'];

/** One line as drawn: its smoothed (or group mean) value, the faint raw value, and its band. */
export interface ShownPoint {
  x: number;
  y: number;
  raw: number | null;
  lo: number;
  hi: number;
}

export interface ShownLine {
  label: string;
  color: string;
  /** A run (band: the bucket's min and max) or a seed group (band: mean ± the chosen spread). */
  kind: 'run' | 'group';
  experiment_ids: number[];
  points: ShownPoint[];
}

/** Runs grouped by everything but their seed (problem set and agent included); singletons stay runs. */
export function seedGroups(experiments: readonly Experiment[]): Experiment[][] {
  const groups = new Map<string, Experiment[]>();
  for (const e of experiments) {
    const key = seedGroupKey(e.config, [e.problem_set_id, e.agent]);
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups.values()];
}

/** What the compare chart draws (and what "export what is shown" writes). */
export function shownLines(series: CompareSeries, experiments: readonly Experiment[], grouped: boolean, band: BandKind): ShownLine[] {
  const byId = new Map(series.runs.map((r) => [r.experiment_id, r]));
  const width = (series.x_max - series.x_min) / series.buckets || 1;
  const columnOf = (x: number) => Math.min(series.buckets - 1, Math.floor((x - series.x_min) / width));
  const sets = grouped ? seedGroups(experiments) : experiments.map((e) => [e]);
  return sets.map((members, i): ShownLine => {
    const color = PALETTE[i % PALETTE.length]!;
    const ids = members.map((m) => m.id);
    if (members.length === 1) {
      const run = byId.get(members[0]!.id);
      return {
        label: members[0]!.name,
        color,
        kind: 'run',
        experiment_ids: ids,
        points: (run?.buckets ?? []).map((b) => ({ x: b.x, y: b.smooth, raw: b.mean, lo: b.min, hi: b.max })),
      };
    }
    const lines = groupLines(members.map((m) => byId.get(m.id)?.buckets ?? []), columnOf, band);
    return {
      label: `${members[0]!.name} +${members.length - 1} seeds (mean ± ${band})`,
      color,
      kind: 'group',
      experiment_ids: ids,
      points: lines.map((p) => ({ x: p.x, y: p.mean, raw: null, lo: p.lo, hi: p.hi })),
    };
  });
}
