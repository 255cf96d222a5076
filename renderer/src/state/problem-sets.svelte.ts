import type { ProblemSummary } from '#shared/api/catalog-api.ts';
import type { TestRun } from '#shared/api/episodes-api.ts';
import type { ImportReport } from '#shared/problems/import-report.ts';
import type { ProblemSet } from '#shared/problems/problem.ts';
import { ApiError } from '#shared/api/api-error.ts';
import { lab } from './lab.svelte.ts';
import { notices } from './notices.svelte.ts';

const NEW_PROBLEM = {
  function_name: 'my_function',
  docstring: 'Describe what the function returns.',
  parameters: ['x'],
  test_cases: [[[1], 2]],
  reference_solution: 'def my_function(x):\n    return x + 1\n',
};

/** The problem-set manager: sets, the chosen set's problems, the editor, imports and their report. */
export class ProblemSetsStore {
  sets = $state<ProblemSet[]>([]);
  selectedId = $state<number | null>(null);
  problems = $state<ProblemSummary[]>([]);
  /** The problem in the editor: its index (null: a new one) and its JSON text. */
  editing = $state<{ index: number | null; text: string } | null>(null);
  editError = $state<string | null>(null);
  check = $state.raw<TestRun | null>(null);
  report = $state.raw<ImportReport | null>(null);
  dragging = $state(false);
  busy = $state(false);

  selected = $derived(this.sets.find((s) => s.id === this.selectedId) ?? null);

  async load(preferred: number | null): Promise<void> {
    this.sets = await lab.client.call('problemSets.list');
    const keep = this.sets.some((s) => s.id === (preferred ?? this.selectedId)) ? (preferred ?? this.selectedId) : (this.sets[0]?.id ?? null);
    await this.select(keep);
  }

  async select(id: number | null): Promise<void> {
    this.selectedId = id;
    this.editing = null;
    this.check = null;
    this.problems = id === null ? [] : await lab.client.call('problems.list', { set_id: id });
  }

  /** Dropped or picked files: names and contents go to the lab, which imports them all or none. */
  async importFiles(files: File[]): Promise<void> {
    const wanted = files.filter((f) => /\.(jsonl?|ndjson)$/i.test(f.name));
    if (wanted.length === 0) {
      notices.push('Only .json and .jsonl files can be imported', 'error');
      return;
    }
    this.busy = true;
    try {
      const payload = await Promise.all(wanted.map(async (f) => ({ name: f.name, content: await f.text() })));
      this.report = await lab.client.call('problemSets.import', { files: payload });
      if (this.report.ok) await this.load(this.report.set_id ?? null);
    } catch (error) {
      notices.push((error as Error).message, 'error');
    } finally {
      this.busy = false;
    }
  }

  async run<T>(action: () => Promise<T>, then?: (value: T) => Promise<void> | void): Promise<void> {
    const value = await notices.guard(action);
    if (value !== undefined) await then?.(value);
  }

  create = (name: string) => this.run(() => lab.client.call('problemSets.create', { name }), (s) => this.load(s.id));
  rename = (name: string) => this.run(() => lab.client.call('problemSets.rename', { id: this.selectedId!, name }), (s) => this.load(s.id));
  duplicate = () => this.run(() => lab.client.call('problemSets.duplicate', { id: this.selectedId! }), (s) => this.load(s.id));
  remove = () => this.run(() => lab.client.call('problemSets.delete', { id: this.selectedId! }), () => this.load(null));

  async open(index: number | null): Promise<void> {
    this.check = null;
    this.editError = null;
    if (index === null) {
      this.editing = { index: null, text: JSON.stringify(NEW_PROBLEM, null, 2) };
      return;
    }
    const { problem } = await lab.client.call('problems.get', { set_id: this.selectedId!, index });
    this.editing = { index, text: JSON.stringify(problem, null, 2) };
  }

  private parsed(): unknown {
    try {
      return JSON.parse(this.editing?.text ?? '');
    } catch (error) {
      this.editError = `not JSON: ${(error as Error).message}`;
      return undefined;
    }
  }

  private explain(error: unknown): void {
    const issues = error instanceof ApiError && error.issues?.length ? error.issues.map((i) => `${i.path}: ${i.message}`).join('\n') : '';
    this.editError = issues || (error as Error).message;
  }

  async save(): Promise<void> {
    const problem = this.parsed();
    if (problem === undefined || !this.editing || this.selectedId === null) return;
    this.editError = null;
    try {
      const saved = await lab.client.call('problems.save', { set_id: this.selectedId, index: this.editing.index, problem });
      this.editing = { ...this.editing, index: saved.index };
      this.problems = await lab.client.call('problems.list', { set_id: this.selectedId });
      this.sets = await lab.client.call('problemSets.list');
      notices.push('Problem saved');
    } catch (error) {
      this.explain(error);
    }
  }

  async deleteProblem(): Promise<void> {
    if (this.editing?.index === null || this.editing === null || this.selectedId === null) return;
    const index = this.editing.index;
    await this.run(() => lab.client.call('problems.delete', { set_id: this.selectedId!, index }), () => this.load(this.selectedId));
  }

  async runReference(): Promise<void> {
    const problem = this.parsed();
    if (problem === undefined) return;
    this.editError = null;
    this.check = null;
    this.busy = true;
    try {
      this.check = await lab.client.call('problems.checkReference', { problem });
    } catch (error) {
      this.explain(error);
    } finally {
      this.busy = false;
    }
  }
}
