import { EPISODE_KINDS, EPISODE_ORDERS, type BrowsedEpisode } from '#shared/api/episodes-api.ts';
import { lab } from './lab.svelte.ts';
import { notices } from './notices.svelte.ts';

export const PAGE_SIZE = 50;

/** The filters as the form holds them: text, so an empty field means "any". */
export interface FilterFields {
  problem: string;
  kind: string;
  success: '' | 'yes' | 'no';
  return_min: string;
  return_max: string;
  explore_min: string;
  explore_max: string;
  episode_min: string;
  episode_max: string;
  order: (typeof EPISODE_ORDERS)[number];
}

const EMPTY: FilterFields = { problem: '', kind: '', success: '', return_min: '', return_max: '', explore_min: '', explore_max: '', episode_min: '', episode_max: '', order: 'newest' };

/** The episode browser of one run: filters (kept in the URL), one page of episodes, paging. */
export class EpisodeBrowserStore {
  fields = $state<FilterFields>({ ...EMPTY });
  items = $state.raw<BrowsedEpisode[]>([]);
  total = $state(0);
  problems = $state.raw<string[]>([]);
  page = $state(0);
  loading = $state(false);
  experimentName = $state('');

  constructor(readonly experimentId: number, query: URLSearchParams) {
    for (const key of Object.keys(EMPTY) as (keyof FilterFields)[]) {
      const value = query.get(key);
      if (value !== null) (this.fields as unknown as Record<string, string>)[key] = value;
    }
    this.page = Math.max(0, Number(query.get('page') ?? 0) || 0);
  }

  /** The fields as query parameters: what the URL keeps, so a filtered list can be linked. */
  query(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.fields)) if (value !== '' && !(key === 'order' && value === 'newest')) out[key] = value;
    if (this.page) out.page = String(this.page);
    return out;
  }

  async load(): Promise<void> {
    const f = this.fields;
    const num = (text: string) => (text.trim() === '' ? undefined : Number(text));
    const input = {
      experiment_id: this.experimentId,
      ...(f.problem ? { problem: f.problem } : {}),
      ...(f.kind && (EPISODE_KINDS as readonly string[]).includes(f.kind) ? { kind: f.kind as (typeof EPISODE_KINDS)[number] } : {}),
      ...(f.success ? { success: f.success === 'yes' } : {}),
      return_min: num(f.return_min),
      return_max: num(f.return_max),
      explore_min: num(f.explore_min),
      explore_max: num(f.explore_max),
      episode_min: num(f.episode_min),
      episode_max: num(f.episode_max),
      order: f.order,
      limit: PAGE_SIZE,
      offset: this.page * PAGE_SIZE,
    };
    this.loading = true;
    try {
      const [page, experiment] = await Promise.all([
        lab.client.call('episodes.browse', input),
        this.experimentName ? null : lab.client.call('experiments.get', { id: this.experimentId }),
      ]);
      this.items = page.items;
      this.total = page.total;
      this.problems = page.problems;
      if (experiment) this.experimentName = experiment.name;
    } catch (error) {
      notices.push((error as Error).message, 'error');
    } finally {
      this.loading = false;
    }
  }

  reset(): void {
    this.fields = { ...EMPTY };
    this.page = 0;
  }
}
