import type { Experiment, ExperimentStatus } from '#shared/experiments/experiment.ts';
import type { TrainerProgress } from '#shared/training/trainer-events.ts';
import { estimateEta } from '../lib/format.ts';
import { lab } from './lab.svelte.ts';

export type SortKey = 'created' | 'name' | 'status' | 'progress' | 'best';
export type StatusFilter = 'all' | 'active' | ExperimentStatus;

const ACTIVE: ExperimentStatus[] = ['running', 'paused', 'created'];

function progressOf(e: Experiment): number {
  return e.episodes_total > 0 ? e.episodes_done / e.episodes_total : 0;
}

/** The experiment browser's list: loaded once, then kept current by the event stream. */
export class ExperimentsStore {
  items = $state<Experiment[]>([]);
  /** The latest progress event of each running experiment (ETA, live episode count). */
  live = $state<Record<number, TrainerProgress>>({});
  loaded = $state(false);
  search = $state('');
  statusFilter = $state<StatusFilter>('all');
  tagFilter = $state('');
  sortKey = $state<SortKey>('created');
  sortDescending = $state(true);
  /** Runs ticked for the compare view. */
  selected = $state<number[]>([]);

  tags = $derived([...new Set(this.items.flatMap((e) => e.tags))].sort());

  visible = $derived.by(() => {
    const words = this.search.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const rows = this.items.filter((e) => {
      if (this.statusFilter === 'active' ? !ACTIVE.includes(e.status) : this.statusFilter !== 'all' && e.status !== this.statusFilter) return false;
      if (this.tagFilter && !e.tags.includes(this.tagFilter)) return false;
      const text = `${e.name} ${e.agent} ${e.problem_set_name} ${e.status} ${e.backend ?? ''} ${e.tags.join(' ')} ${e.notes}`.toLowerCase();
      return words.every((w) => text.includes(w));
    });
    const key: Record<SortKey, (e: Experiment) => number | string> = {
      created: (e) => e.id,
      name: (e) => e.name.toLowerCase(),
      status: (e) => e.status,
      progress: progressOf,
      best: (e) => e.best_success_rate ?? -1,
    };
    const get = key[this.sortKey];
    const sign = this.sortDescending ? -1 : 1;
    return rows.sort((a, b) => (get(a) < get(b) ? -sign : get(a) > get(b) ? sign : b.id - a.id));
  });

  private readonly stops: (() => void)[] = [];

  constructor() {
    const c = lab.client;
    this.stops.push(
      c.listen('ExperimentSaved', (e) => this.upsert(e)),
      c.listen('ExperimentDeleted', ({ experiment_id }) => (this.items = this.items.filter((e) => e.id !== experiment_id))),
      c.listen('ExperimentStatusChanged', ({ experiment_id }) => void this.refresh(experiment_id)),
      c.listen('ExperimentProgressed', (p) => {
        this.live[p.experiment_id] = p;
        const row = this.items.find((e) => e.id === p.experiment_id);
        if (row) row.episodes_done = p.episode;
      }),
      lab.onReconnect(() => void this.load()),
    );
  }

  async load(): Promise<void> {
    this.items = await lab.client.call('experiments.list');
    this.loaded = true;
  }

  async refresh(id: number): Promise<void> {
    try {
      this.upsert(await lab.client.call('experiments.get', { id }));
    } catch {
      // deleted meanwhile
    }
  }

  upsert(experiment: Experiment): void {
    const at = this.items.findIndex((e) => e.id === experiment.id);
    if (at === -1) this.items.unshift(experiment);
    else this.items[at] = experiment;
  }

  eta(e: Experiment): number | null {
    if (e.status !== 'running') return null;
    return this.live[e.id]?.eta_seconds ?? estimateEta(e.started_at, e.episodes_done, e.episodes_total);
  }

  toggleSelected(id: number): void {
    this.selected = this.selected.includes(id) ? this.selected.filter((x) => x !== id) : [...this.selected, id];
  }

  sortBy(key: SortKey): void {
    if (this.sortKey === key) this.sortDescending = !this.sortDescending;
    else {
      this.sortKey = key;
      this.sortDescending = key !== 'name';
    }
  }

  dispose(): void {
    for (const stop of this.stops) stop();
  }
}
