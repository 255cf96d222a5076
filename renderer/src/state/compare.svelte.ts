import type { CompareSeries, SolvedCell, StepSummaryRow, XAxis } from '#shared/api/compare-api.ts';
import { configDiff, flattenConfig, type DiffRow } from '#shared/compare/config-diff.ts';
import type { BandKind } from '#shared/compare/series-math.ts';
import type { Experiment } from '#shared/experiments/experiment.ts';
import { shownLines, type ShownLine } from '../lib/compare-lines.ts';
import { lab } from './lab.svelte.ts';

/** The compare view: which runs, which metric, how it is drawn, and what the tables show. */
export class CompareStore {
  experiments = $state<Experiment[]>([]);
  metricNames = $state<string[]>([]);
  metric = $state('charts/episodic_return');
  xAxis = $state<XAxis>('step');
  smoothing = $state(0.6);
  logScale = $state(false);
  grouped = $state(true);
  band = $state<BandKind>('std');
  zoom = $state<[number, number] | null>(null);
  /** Pixel columns of the chart: one bucket each. */
  columns = $state(600);
  series = $state.raw<CompareSeries | null>(null);
  summary = $state.raw<StepSummaryRow[]>([]);
  maxStep = $state(0);
  atStep = $state<number | null>(null);
  solvedProblems = $state<string[]>([]);
  solved = $state.raw<SolvedCell[]>([]);
  baselineId = $state<number | null>(null);
  error = $state<string | null>(null);
  private request = 0;

  lines = $derived<ShownLine[]>(this.series ? shownLines(this.series, this.experiments, this.grouped, this.band) : []);
  diff = $derived.by((): DiffRow[] => {
    const flat = this.experiments.map((e) => flattenConfig({ problem_set: e.problem_set_name, ...e.config }));
    const base = Math.max(0, this.experiments.findIndex((e) => e.id === this.baselineId));
    return configDiff(flat, base);
  });

  constructor(readonly ids: number[]) {}

  async load(): Promise<void> {
    try {
      this.experiments = await Promise.all(this.ids.map((id) => lab.client.call('experiments.get', { id })));
      this.baselineId = this.experiments[0]?.id ?? null;
      const pages = await Promise.all(this.ids.map((id) => lab.client.call('metrics.get', { experiment_id: id, names: [] })));
      this.metricNames = [...new Set(pages.flatMap((p) => p.names))].sort();
      if (!this.metricNames.includes(this.metric) && this.metricNames[0]) this.metric = this.metricNames[0];
      const solved = await lab.client.call('compare.solved', { experiment_ids: this.ids });
      this.solvedProblems = solved.problems;
      this.solved = solved.cells;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  /** Asks for the buckets of what is on screen; a newer request wins over a slower older one. */
  async loadSeries(): Promise<void> {
    if (this.ids.length === 0) return;
    const ticket = ++this.request;
    const input = {
      experiment_ids: this.ids,
      name: this.metric,
      x: this.xAxis,
      smoothing: this.smoothing,
      buckets: Math.max(10, Math.min(5000, Math.round(this.columns))),
      ...(this.zoom ? { x_min: this.zoom[0], x_max: this.zoom[1] } : {}),
    };
    try {
      const [series, summary] = await Promise.all([
        lab.client.call('compare.series', input),
        lab.client.call('compare.summary', { experiment_ids: this.ids, names: [this.metric], at_step: this.atStep }),
      ]);
      if (ticket !== this.request) return;
      this.series = series;
      this.summary = summary.rows;
      this.maxStep = summary.max_step;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  setZoom(range: [number, number] | null): void {
    this.zoom = range && range[1] > range[0] ? range : null;
  }

  nameOf(id: number): string {
    return this.experiments.find((e) => e.id === id)?.name ?? `#${id}`;
  }
}
