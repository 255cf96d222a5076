import { isMap, parseDocument, stringify } from 'yaml';
import type { Preset } from '#shared/api/catalog-api.ts';
import { parseConfigYaml } from '#shared/config/parse-config-yaml.ts';
import type { ProblemSet } from '#shared/problems/problem.ts';
import { lab } from './lab.svelte.ts';

/**
 * The new-experiment form. The YAML text is the one source of truth: the form writes into it with
 * yaml's Document API (comments and order kept), Monaco edits it directly, and both are validated
 * by the same schema (shared/config) on every change.
 */
export class NewExperimentStore {
  sets = $state<ProblemSet[]>([]);
  presets = $state<Preset[]>([]);
  setId = $state<number | null>(null);
  presetName = $state('');
  name = $state('');
  seed = $state('');
  tags = $state('');
  notes = $state('');
  yaml = $state('');
  parentId = $state<number | null>(null);
  busy = $state(false);

  parsed = $derived(parseConfigYaml(this.yaml));
  /** The raw values as written (even when invalid), for the form's inputs. */
  raw = $derived.by((): Record<string, Record<string, unknown>> => {
    try {
      const doc = parseDocument(this.yaml);
      const js: unknown = isMap(doc.contents) ? doc.toJS() : {};
      return (js ?? {}) as Record<string, Record<string, unknown>>;
    } catch {
      return {};
    }
  });
  errors = $derived(this.parsed.findings.filter((f) => f.severity === 'error'));
  canCreate = $derived(this.setId !== null && this.name.trim() !== '' && this.parsed.config !== undefined && !this.busy);

  async load(cloneOf: number | null): Promise<void> {
    const [sets, presets] = await Promise.all([lab.client.call('problemSets.list'), lab.client.call('presets.list')]);
    this.sets = sets;
    this.presets = presets;
    this.setId = sets.find((s) => s.name === 'seed-train')?.id ?? sets[0]?.id ?? null;
    if (cloneOf !== null) {
      const source = await lab.client.call('experiments.get', { id: cloneOf });
      this.name = `${source.name} (copy)`;
      this.setId = source.problem_set_id ?? this.setId;
      this.seed = source.seed === null ? '' : String(source.seed);
      this.tags = source.tags.join(', ');
      this.parentId = source.id;
      this.presetName = '';
      this.yaml = stringify(source.config);
    } else {
      this.usePreset(presets.find((p) => p.name === 'default')?.name ?? presets.find((p) => p.name === 'fast')?.name ?? presets[0]?.name ?? '');
      this.name = `experiment ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`;
    }
  }

  usePreset(name: string): void {
    const preset = this.presets.find((p) => p.name === name);
    this.presetName = name;
    if (preset) this.yaml = preset.yaml;
  }

  /** Writes one form field into the YAML; `undefined` removes the key (the default applies). */
  setField(path: string, value: unknown): void {
    const doc = parseDocument(this.yaml);
    if (doc.errors.length > 0) return; // the YAML must be fixed in the editor first
    const keys = path.split('.');
    if (value === undefined) doc.deleteIn(keys);
    else doc.setIn(keys, value);
    this.yaml = doc.toString();
  }

  fieldError(path: string): string | undefined {
    return this.parsed.findings.find((f) => f.path === path)?.message;
  }

  async create(): Promise<number | undefined> {
    if (!this.canCreate || this.setId === null) return undefined;
    this.busy = true;
    try {
      const tags = this.tags.split(',').map((t) => t.trim()).filter(Boolean);
      const seed = this.seed.trim() === '' ? undefined : Number(this.seed);
      const created = await lab.client.call('experiments.create', {
        name: this.name.trim(),
        problem_set_id: this.setId,
        config: this.raw,
        ...(seed === undefined ? {} : { seed }),
        tags,
        notes: this.notes,
        parent_id: this.parentId,
      });
      return created.id;
    } finally {
      this.busy = false;
    }
  }
}
