import type { CompareSeries } from '#shared/api/compare-api.ts';
import type { Experiment } from '#shared/experiments/experiment.ts';
import { flattenConfig, seedGroupKey } from '#shared/compare/config-diff.ts';
import { numberText } from '#shared/compare/number-text.ts';
import { groupLines, type BandKind } from '#shared/compare/series-math.ts';

export const PALETTE = ['#2f6fde', '#d9480f', '#2b8a3e', '#9c36b5', '#c2255c', '#0b7285', '#e67700', '#5f3dc4'];

/** The i-th line's colour as #rrggbb: the palette, then hues a golden angle apart (sweeps have hundreds). */
export function lineColor(i: number): string {
  if (i < PALETTE.length) return PALETTE[i]!;
  const hue = (i * 137.508) % 360;
  const [s, l] = [0.62, i % 2 ? 0.42 : 0.5];
  const f = (n: number) => {
    const k = (n + hue / 30) % 12;
    const c = l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255).toString(16).padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

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

/**
 * Runs grouped by one config key (a sweep's axis, e.g. `agent.learning_rate`): one group per value,
 * in order of value, labelled `key=value`.
 */
export function keyGroups(experiments: readonly Experiment[], key: string): { label: string; members: Experiment[] }[] {
  const groups = new Map<string, { value: unknown; members: Experiment[] }>();
  for (const e of experiments) {
    const value = flattenConfig(e.config)[key];
    const id = JSON.stringify(value ?? null);
    const group = groups.get(id) ?? { value, members: [] };
    group.members.push(e);
    groups.set(id, group);
  }
  const text = (v: unknown) => (v === undefined ? '(unset)' : typeof v === 'number' ? numberText(v) : typeof v === 'string' ? v : JSON.stringify(v));
  const order = (v: unknown) => (typeof v === 'number' ? v : Number.POSITIVE_INFINITY);
  return [...groups.values()]
    .sort((a, b) => order(a.value) - order(b.value) || text(a.value).localeCompare(text(b.value)))
    .map((g) => ({ label: `${key}=${text(g.value)}`, members: g.members }));
}

/** How runs become lines: one each, grouped by everything but the seed, or by one config key. */
export type Grouping = { by: 'none' } | { by: 'seed' } | { by: 'key'; key: string };

/** What the compare chart draws (and what "export what is shown" writes). */
export function shownLines(series: CompareSeries, experiments: readonly Experiment[], grouping: Grouping, band: BandKind): ShownLine[] {
  const byId = new Map(series.runs.map((r) => [r.experiment_id, r]));
  const width = (series.x_max - series.x_min) / series.buckets || 1;
  const columnOf = (x: number) => Math.min(series.buckets - 1, Math.floor((x - series.x_min) / width));
  const labelled =
    grouping.by === 'key'
      ? keyGroups(experiments, grouping.key)
      : (grouping.by === 'seed' ? seedGroups(experiments) : experiments.map((e) => [e])).map((members) => ({ label: null as string | null, members }));
  return labelled.map(({ label, members }, i): ShownLine => {
    const color = lineColor(i);
    const ids = members.map((m) => m.id);
    if (members.length === 1 && label === null) {
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
      label: label === null ? `${members[0]!.name} +${members.length - 1} seeds (mean ± ${band})` : `${label} (${members.length} ${members.length === 1 ? 'run' : 'runs'}, mean ± ${band})`,
      color,
      kind: 'group',
      experiment_ids: ids,
      points: lines.map((p) => ({ x: p.x, y: p.mean, raw: null, lo: p.lo, hi: p.hi })),
    };
  });
}
