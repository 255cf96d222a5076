import type { Intervention, SolvedProblem } from '#shared/api/runs-api.ts';
import type { Experiment, MetricPoint } from '#shared/experiments/experiment.ts';
import type { TrainerProgress } from '#shared/training/trainer-events.ts';
import { lab } from './lab.svelte.ts';

export interface SeriesPoint {
  x: number;
  y: number;
}

/** A mark on every chart where someone steered the run. */
export type Mark = Pick<Intervention, 'kind' | 'value' | 'step' | 'episode'>;

/**
 * One run's dashboard: history loaded from the store, then live points from the event stream.
 * Series are plain arrays outside Svelte's deep reactivity (a long run has hundreds of thousands of
 * points); `version` ticks at most once a frame to redraw the charts.
 */
export class DashboardStore {
  experiment = $state<Experiment | null>(null);
  progress = $state<TrainerProgress | null>(null);
  solved = $state<SolvedProblem[]>([]);
  marks = $state.raw<Mark[]>([]);
  metricNames = $state<string[]>([]);
  logs = $state<string[]>([]);
  version = $state(0);
  error = $state<string | null>(null);
  readonly series = new Map<string, SeriesPoint[]>();
  private pending: MetricPoint[] | null = [];
  private frame = 0;
  private readonly stops: (() => void)[] = [];

  constructor(readonly id: number) {
    const c = lab.client;
    const mine = (p: { experiment_id: number }) => p.experiment_id === id;
    this.stops.push(
      c.listen('MetricsAppended', (e) => mine(e) && this.append(e.points)),
      c.listen('ExperimentProgressed', (p) => {
        if (!mine(p)) return;
        this.progress = p;
        for (const s of p.solved) {
          if (!this.solved.some((x) => x.problem === s.problem)) {
            this.solved.push({ problem: s.problem, code: s.code, episode: s.episode, kind: 'train', total_return: 0, tests_passed: 0, tests_total: 0 });
          }
        }
      }),
      c.listen('InterventionRecorded', (e) => mine(e) && (this.marks = [...this.marks, e])),
      // A run resumed from a checkpoint rewrites what came after it: start the charts over.
      c.listen('ExperimentStarted', (e) => mine(e) && e.resumed_from !== null && void this.load()),
      c.listen('ExperimentStatusChanged', (e) => mine(e) && void this.reloadExperiment()),
      c.listen('ExperimentSaved', (e) => mine({ experiment_id: e.id }) && (this.experiment = e)),
      c.listen('LogLineWritten', (e) => mine(e) && (this.logs = [...this.logs.slice(-199), `[${e.level}] ${e.message}`])),
      lab.onReconnect(() => void this.load()),
    );
  }

  async load(): Promise<void> {
    this.pending = [];
    this.series.clear();
    try {
      await this.reloadExperiment();
      let after: number | undefined;
      for (;;) {
        const page = await lab.client.call('metrics.get', { experiment_id: this.id, ...(after === undefined ? {} : { after_step: after }) });
        this.metricNames = page.names;
        this.add(page.points);
        if (!page.more || page.points.length === 0) break;
        after = page.points.at(-1)!.step;
      }
      this.marks = await lab.client.call('interventions.list', { experiment_id: this.id });
    } catch (error) {
      this.error = (error as Error).message;
    }
    const buffered = this.pending ?? [];
    this.pending = null;
    this.add(buffered);
    this.tick();
  }

  async reloadExperiment(): Promise<void> {
    this.experiment = await lab.client.call('experiments.get', { id: this.id });
    this.solved = await lab.client.call('episodes.solved', { experiment_id: this.id });
  }

  /** The latest value of a metric (reactive through `version`), for stats when no progress event came yet. */
  lastValue(name: string): number | null {
    void this.version;
    return this.series.get(name)?.at(-1)?.y ?? null;
  }

  private append(points: MetricPoint[]): void {
    if (this.pending) this.pending.push(...points);
    else {
      this.add(points);
      this.tick();
    }
  }

  /** Adds points in step order, skipping any the series already has (history and live overlap). */
  private add(points: MetricPoint[]): void {
    for (const p of points) {
      let line = this.series.get(p.name);
      if (!line) {
        this.series.set(p.name, (line = []));
        if (!this.metricNames.includes(p.name)) this.metricNames = [...this.metricNames, p.name].sort();
      }
      const last = line.at(-1);
      if (!last || p.step > last.x) line.push({ x: p.step, y: p.value });
    }
  }

  private tick(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.version++;
    });
  }

  dispose(): void {
    for (const stop of this.stops) stop();
    if (this.frame) cancelAnimationFrame(this.frame);
  }
}
