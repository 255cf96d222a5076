import type { SweepDetail, SweepRun, SweepSummary } from '#shared/api/sweeps-api.ts';
import { lab } from './lab.svelte.ts';

/** The statuses a sweep page groups runs by; `created` is shown as queued. */
export const RUN_GROUPS = [
  { label: 'queued', statuses: ['created'] },
  { label: 'running', statuses: ['running', 'paused', 'interrupted'] },
  { label: 'done', statuses: ['done'] },
  { label: 'failed', statuses: ['failed', 'stopped'] },
] as const;

export const runStatusLabel = (status: string): string => (status === 'created' ? 'queued' : status);

/** The sweeps list. */
export class SweepListStore {
  sweeps = $state<SweepSummary[]>([]);
  error = $state<string | null>(null);

  async load(): Promise<void> {
    try {
      this.sweeps = await lab.client.call('sweeps.list', {});
    } catch (error) {
      this.error = (error as Error).message;
    }
  }
}

/**
 * One sweep's page: its runs (reloaded at most once a second while workers report), live progress
 * from the trainers' progress events, and the metric and hyperparameter the scatter plots.
 */
export class SweepStore {
  sweep = $state.raw<SweepDetail | null>(null);
  error = $state<string | null>(null);
  /** Episodes done per run, as the workers' progress events say (between reloads). */
  live = $state<Record<number, { episode: number; total: number; eta: number | null }>>({});
  metric = $state('charts/success_rate');
  parameter = $state<string | null>(null);
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly detach: (() => void)[] = [];

  metricNames = $derived.by(() => [...new Set((this.sweep?.runs ?? []).flatMap((r) => Object.keys(r.final)))].sort());
  groups = $derived.by(() =>
    RUN_GROUPS.map((g) => ({ label: g.label, runs: (this.sweep?.runs ?? []).filter((r) => (g.statuses as readonly string[]).includes(r.status)) })),
  );
  /** (parameter value, final metric) per run that has both. */
  points = $derived.by(() => {
    const parameter = this.parameter;
    if (!parameter) return [];
    return (this.sweep?.runs ?? []).flatMap((r: SweepRun) => {
      const x = r.params[parameter];
      const y = r.final[this.metric];
      return typeof x === 'number' && y !== undefined ? [{ x, y, run: r.experiment_id }] : [];
    });
  });

  constructor(readonly id: number) {}

  async load(): Promise<void> {
    try {
      this.sweep = await lab.client.call('sweeps.get', { id: this.id });
      this.parameter ??= this.sweep.parameters.find((p) => this.sweep!.runs.some((r) => typeof r.params[p] === 'number')) ?? null;
      if (!this.metricNames.includes(this.metric) && this.metricNames.length) this.metric = this.metricNames.includes('charts/episodic_return') ? 'charts/episodic_return' : this.metricNames[0]!;
      this.error = null;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  private mine(id: number): boolean {
    return this.sweep?.runs.some((r) => r.experiment_id === id) ?? false;
  }

  private scheduleReload(): void {
    this.reloadTimer ??= setTimeout(() => {
      this.reloadTimer = undefined;
      void this.load();
    }, 1000);
  }

  watch(): void {
    this.detach.push(
      lab.client.listen('ExperimentProgressed', (p) => {
        if (!this.mine(p.experiment_id)) return;
        this.live = { ...this.live, [p.experiment_id]: { episode: p.episode, total: p.episodes_total, eta: p.eta_seconds } };
      }),
      lab.client.listen('ExperimentStatusChanged', (e) => this.mine(e.experiment_id) && this.scheduleReload()),
      lab.client.listen('MetricsAppended', (e) => this.mine(e.experiment_id) && this.scheduleReload()),
      lab.onReconnect(() => void this.load()),
    );
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    for (const off of this.detach.splice(0)) off();
  }

  async stop(): Promise<void> {
    await lab.client.call('sweeps.stop', { id: this.id });
    await this.load();
  }

  compareLink(): string {
    return `#/compare?ids=${(this.sweep?.runs ?? []).filter((r) => r.episodes_done > 0).map((r) => r.experiment_id).join(',')}`;
  }
}
