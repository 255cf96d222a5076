import type { ProgramVersion } from '#shared/api/episodes-api.ts';
import type { Experiment } from '#shared/experiments/experiment.ts';
import { lab } from './lab.svelte.ts';
import { notices } from './notices.svelte.ts';

/** A version as the pickers name it: which run, which evaluation. */
export interface VersionChoice {
  key: string;
  label: string;
  version: ProgramVersion;
}

/**
 * The code diff of one problem: the greedy program at each evaluation of a run and, when asked,
 * of another run; two pickers choose the sides (by default the first and the last version).
 */
export class ProgramDiffStore {
  choices = $state.raw<VersionChoice[]>([]);
  left = $state<string>('');
  right = $state<string>('');
  runs = $state.raw<Experiment[]>([]);
  name = $state('');
  loaded = $state(false);

  constructor(
    readonly experimentId: number,
    readonly problem: string,
    readonly against: number | null,
  ) {}

  async load(): Promise<void> {
    try {
      const ids = [this.experimentId, ...(this.against !== null && this.against !== this.experimentId ? [this.against] : [])];
      const [answers, runs] = await Promise.all([
        Promise.all(ids.map((id) => lab.client.call('episodes.programs', { experiment_id: id, problem: this.problem }))),
        lab.client.call('experiments.list'),
      ]);
      this.runs = runs;
      this.name = answers[0]!.experiment_name;
      this.choices = answers.flatMap((a) =>
        a.versions.map((v) => ({
          key: `${a.experiment_id}/${v.episode}`,
          label: `${a.experiment_name} · episode ${v.episode}${v.checkpoints.length ? ` (checkpoint: ${v.checkpoints.join(', ')})` : ''}`,
          version: v,
        })),
      );
      const mine = this.choices.filter((c) => c.version.experiment_id === this.experimentId);
      const other = this.choices.filter((c) => c.version.experiment_id !== this.experimentId);
      this.left = mine[0]?.key ?? '';
      this.right = (other.at(-1) ?? mine.at(-1))?.key ?? '';
    } catch (error) {
      notices.push((error as Error).message, 'error');
    } finally {
      this.loaded = true;
    }
  }

  version(key: string): ProgramVersion | undefined {
    return this.choices.find((c) => c.key === key)?.version;
  }
}
