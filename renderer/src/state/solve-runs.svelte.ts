import type { LabEventPayload } from '#shared/api/events.ts';
import type { SolveAgent } from '#shared/solving/solve-agents.ts';
import type { SolveResult, SolveRunDetail, SolveRunSummary } from '#shared/solving/solve-run.ts';
import { summarizeSolve } from '#shared/solving/solve-summary.ts';
import { lab } from './lab.svelte.ts';

/** One problem of the selected run: per agent, its result (absent while not yet solved or tried). */
export interface SolveProblemRow {
  index: number;
  problem: string;
  results: Partial<Record<SolveAgent, SolveResult>>;
}

/**
 * The Solve view's runs and the one selected. The selected run follows `SolveProgressed` live (each
 * result appended as it is stored); the list is reloaded at most once a second while runs report.
 */
export class SolveRunsStore {
  runs = $state.raw<SolveRunSummary[]>([]);
  selected = $state.raw<SolveRunDetail | null>(null);
  error = $state<string | null>(null);
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly detach: (() => void)[] = [];

  summaries = $derived(this.selected ? summarizeSolve(this.selected.agents, this.selected.results) : []);
  rows = $derived.by((): SolveProblemRow[] => {
    const run = this.selected;
    if (!run) return [];
    const rows = run.problems.map((problem, index): SolveProblemRow => ({ index, problem, results: {} }));
    for (const result of run.results) {
      const row = rows[result.problem_index];
      if (row) row.results[result.agent] = result;
    }
    return rows;
  });

  async load(): Promise<void> {
    try {
      this.runs = await lab.client.call('solves.list');
      this.error = null;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  async select(id: number | null): Promise<void> {
    if (id === null) {
      this.selected = null;
      return;
    }
    try {
      this.selected = await lab.client.call('solves.get', { id });
      this.error = null;
    } catch (error) {
      this.selected = null;
      this.error = (error as Error).message;
    }
  }

  watch(): void {
    this.detach.push(
      lab.client.listen('SolveProgressed', (p) => this.apply(p)),
      lab.client.listen('SolveDeleted', ({ solve_id }) => {
        this.runs = this.runs.filter((r) => r.id !== solve_id);
        if (this.selected?.id === solve_id) this.selected = null;
      }),
      lab.onReconnect(() => {
        void this.load();
        if (this.selected) void this.select(this.selected.id);
      }),
    );
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    for (const off of this.detach.splice(0)) off();
  }

  async stop(): Promise<void> {
    if (!this.selected) return;
    await lab.client.call('solves.stop', { id: this.selected.id });
  }

  /** Deletes the selected run (ended) and its results; every client drops it on `SolveDeleted`. */
  async remove(): Promise<void> {
    if (!this.selected) return;
    await lab.client.call('solves.delete', { id: this.selected.id });
  }

  private apply(p: LabEventPayload<'SolveProgressed'>): void {
    const run = this.selected;
    if (run?.id === p.solve_id) {
      const results = p.result && !run.results.some((r) => r.agent === p.result!.agent && r.problem_index === p.result!.problem_index) ? [...run.results, p.result] : run.results;
      this.selected = { ...run, status: p.status, error: p.error, results };
      // The end time is the lab's: read the run once it has ended.
      if (p.status !== 'running') void this.select(run.id);
    }
    this.runs = this.runs.map((r) => (r.id === p.solve_id ? { ...r, status: p.status, error: p.error } : r));
    // Summaries follow at most once a second while results stream; a run's end (or a new run) at once.
    if (p.status === 'running' && p.result && this.runs.some((r) => r.id === p.solve_id)) {
      this.reloadTimer ??= setTimeout(() => {
        this.reloadTimer = undefined;
        void this.load();
      }, 1000);
      return;
    }
    clearTimeout(this.reloadTimer);
    this.reloadTimer = undefined;
    void this.load();
  }
}
