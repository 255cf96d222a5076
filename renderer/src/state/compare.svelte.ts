import { MAX_COMPARE_RUNS, type CompareSeries, type SolvedCell, type StepSummaryRow, type XAxis } from '#shared/api/compare-api.ts';
import { configDiff, flattenConfig, type DiffRow } from '#shared/compare/config-diff.ts';
import type { BandKind } from '#shared/compare/series-math.ts';
import type { Experiment } from '#shared/experiments/experiment.ts';
import { chartOrder } from '../lib/charts.ts';
import { lineKey, matchingLines } from '../lib/compare-datasets.ts';
import { shownLines, type Grouping, type ShownLine } from '../lib/compare-lines.ts';
import { seriesBuckets } from '../lib/series-buckets.ts';
import { lab } from './lab.svelte.ts';
import { notices } from './notices.svelte.ts';

/** Past this many lines, bands and faint raw lines start off: a sweep's lines stay readable. */
const DETAIL_LINES = 12;

/**
 * The compare view: which runs, which metrics (one large chart or a grid of small multiples that
 * share the x axis and its zoom), how they are drawn, the legend's state and the tables.
 */
export class CompareStore {
  experiments = $state.raw<Experiment[]>([]);
  metricNames = $state.raw<string[]>([]);
  metric = $state('charts/episodic_return');
  layout = $state<'single' | 'grid'>('single');
  gridMetrics = $state<string[]>([]);
  xAxis = $state<XAxis>('step');
  smoothing = $state(0.6);
  logScale = $state(false);
  /** 'none', 'seed', or a config key (a sweep's axis). */
  groupBy = $state<string>('seed');
  band = $state<BandKind>('std');
  bands = $state<boolean | null>(null);
  zoom = $state<[number, number] | null>(null);
  /** Pixel columns of the chart (one bucket every two); 0 until the chart has been measured. */
  columns = $state(0);
  series = $state.raw<Map<string, CompareSeries>>(new Map());
  summary = $state.raw<StepSummaryRow[]>([]);
  maxStep = $state(0);
  atStep = $state<number | null>(null);
  solvedProblems = $state.raw<string[]>([]);
  solved = $state.raw<SolvedCell[]>([]);
  baselineId = $state<number | null>(null);
  /** Legend: search text, hidden lines (by key), the line under the pointer. */
  search = $state('');
  hidden = $state.raw<ReadonlySet<string>>(new Set());
  highlight = $state<string | null>(null);
  /** A problem with the runs asked for; the view still shows what it can. */
  notice = $state<string | null>(null);
  loaded = $state(false);
  readonly ids: number[];
  private request = 0;
  /** What the latest series request asked for: the same question is not asked twice in a row. */
  private asked = '';

  constructor(ids: number[]) {
    this.ids = ids.slice(0, MAX_COMPARE_RUNS);
    if (ids.length > MAX_COMPARE_RUNS) this.notice = `Compare takes up to ${MAX_COMPARE_RUNS} runs: showing the first ${MAX_COMPARE_RUNS} of the ${ids.length} asked for.`;
  }

  grouping = $derived<Grouping>(this.groupBy === 'none' ? { by: 'none' } : this.groupBy === 'seed' ? { by: 'seed' } : { by: 'key', key: this.groupBy });
  /** The metrics on screen: the large chart's, or the grid's. */
  shownMetrics = $derived(this.layout === 'grid' ? this.gridMetrics : [this.metric]);
  lines = $derived<ShownLine[]>(this.linesFor(this.metric));
  legendLines = $derived(matchingLines(this.linesFor(this.shownMetrics[0] ?? this.metric), this.search));
  showBands = $derived(this.bands ?? this.lines.length <= DETAIL_LINES);
  diff = $derived.by((): DiffRow[] => {
    const flat = this.experiments.map((e) => flattenConfig({ problem_set: e.problem_set_name, ...e.config }));
    const base = Math.max(0, this.experiments.findIndex((e) => e.id === this.baselineId));
    return configDiff(flat, base);
  });

  linesFor(metric: string): ShownLine[] {
    const series = this.series.get(metric);
    return series ? shownLines(series, this.experiments, this.grouping, this.band) : [];
  }

  async load(): Promise<void> {
    try {
      const runs = await lab.client.call('compare.runs', { experiment_ids: this.ids });
      if (runs.missing.length) this.notice = `${this.notice ? `${this.notice} ` : ''}No experiment ${runs.missing.join(', ')}: left out.`;
      this.experiments = runs.experiments;
      this.baselineId = runs.experiments[0]?.id ?? null;
      this.metricNames = runs.metric_names;
      if (!this.metricNames.includes(this.metric) && this.metricNames[0]) this.metric = this.metricNames[0];
      if (this.gridMetrics.length === 0) this.gridMetrics = chartOrder(this.metricNames).slice(0, 3);
      this.loaded = true;
      if (this.experiments.length === 0) return;
      // The chart's data goes out now, before the tables render and the solved matrix is asked for.
      void this.loadSeries();
      const solved = await lab.client.call('compare.solved', { experiment_ids: this.experiments.map((e) => e.id) });
      this.solvedProblems = solved.problems;
      this.solved = solved.cells;
    } catch (error) {
      this.loaded = true;
      notices.push((error as Error).message, 'error');
    }
  }

  /** Asks for the buckets of what is on screen; a newer request wins over a slower older one. */
  async loadSeries(): Promise<void> {
    const ids = this.experiments.map((e) => e.id);
    if (ids.length === 0 || this.columns === 0) return;
    const metrics = [...this.shownMetrics];
    const buckets = seriesBuckets(this.layout === 'grid' ? this.columns / 3 : this.columns, ids.length);
    const input = (name: string) => ({
      experiment_ids: ids,
      name,
      x: this.xAxis,
      smoothing: this.smoothing,
      buckets,
      ...(this.zoom ? { x_min: this.zoom[0], x_max: this.zoom[1] } : {}),
    });
    const question = JSON.stringify([metrics.map(input), this.metric, this.atStep]);
    if (question === this.asked) return;
    this.asked = question;
    const ticket = ++this.request;
    try {
      // Series first: the server answers in order, and the chart waits on them, not on the table.
      const series = Promise.all(metrics.map((name) => lab.client.call('compare.series', input(name))));
      const summary = lab.client.call('compare.summary', { experiment_ids: ids, names: [this.metric], at_step: this.atStep });
      const drawn = await series;
      if (ticket !== this.request) return;
      this.series = new Map(metrics.map((name, i) => [name, drawn[i]!]));
      const table = await summary;
      if (ticket !== this.request) return;
      this.summary = table.rows;
      this.maxStep = table.max_step;
    } catch (error) {
      this.asked = '';
      notices.push((error as Error).message, 'error');
    }
  }

  setZoom(range: [number, number] | null): void {
    this.zoom = range && range[1] > range[0] ? range : null;
  }

  toggleGridMetric(name: string): void {
    this.gridMetrics = this.gridMetrics.includes(name) ? this.gridMetrics.filter((m) => m !== name) : chartOrder([...this.gridMetrics, name]);
  }

  toggleLine(line: ShownLine): void {
    const key = lineKey(line);
    const next = new Set(this.hidden);
    if (!next.delete(key)) next.add(key);
    this.hidden = next;
  }

  /** Shows (or hides) every line the legend's search matches. */
  setMatching(visible: boolean): void {
    const next = new Set(this.hidden);
    for (const line of this.legendLines) {
      if (visible) next.delete(lineKey(line));
      else next.add(lineKey(line));
    }
    this.hidden = next;
  }

  nameOf(id: number): string {
    return this.experiments.find((e) => e.id === id)?.name ?? `#${id}`;
  }
}
