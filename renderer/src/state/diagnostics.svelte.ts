import type { DiagnosticSample, SampleOf } from '#shared/diagnostics/diagnostic-samples.ts';
import type { BrowsedEpisode } from '#shared/api/episodes-api.ts';
import { lab } from './lab.svelte.ts';

const REFRESH_MS = 5000;

/** A run's diagnostics for the dashboard, read again every few seconds while it trains. */
export class DiagnosticsStore {
  samples = $state.raw<DiagnosticSample[]>([]);
  valueAgent = $state(false);
  policyAgent = $state(false);
  greedy = $state.raw<BrowsedEpisode[]>([]);
  problem = $state('');
  error = $state<string | null>(null);
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(readonly experimentId: number) {}

  of<K extends DiagnosticSample['kind']>(kind: K, problem?: string): SampleOf<K>[] {
    return this.samples.filter((s): s is SampleOf<K> => s.kind === kind && (!problem || s.problem === problem));
  }

  problems = $derived([...new Set(this.samples.flatMap((s) => (s.problem === null ? [] : [s.problem])))].sort());

  async load(): Promise<void> {
    try {
      const [answer, greedy] = await Promise.all([
        lab.client.call('diagnostics.get', { experiment_id: this.experimentId }),
        lab.client.call('episodes.browse', { experiment_id: this.experimentId, kind: 'greedy', order: 'oldest', limit: 500 }),
      ]);
      this.samples = answer.samples;
      this.valueAgent = answer.value_agent;
      this.policyAgent = answer.policy_agent;
      this.greedy = greedy.items;
      if (!this.problem && this.problems[0]) this.problem = this.problems[0];
      this.error = null;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  /** Reads again every few seconds while `live()` holds. */
  follow(live: () => boolean): void {
    this.timer = setInterval(() => {
      if (live()) void this.load();
    }, REFRESH_MS);
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}
