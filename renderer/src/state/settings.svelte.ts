import type { LabInfo } from '#shared/api/lab-api.ts';
import type { BackendReportView, PythonSetting } from '#shared/api/settings-api.ts';
import { lab } from './lab.svelte.ts';
import { notices } from './notices.svelte.ts';

/** The settings page: interpreter (validated by the lab before it is saved), backend, data folder. */
export class SettingsStore {
  python = $state<PythonSetting | null>(null);
  pythonInput = $state('');
  pythonError = $state<string | null>(null);
  backends = $state<BackendReportView | null>(null);
  info = $state<LabInfo | null>(null);
  busy = $state(false);

  async load(): Promise<void> {
    const [python, info] = await Promise.all([lab.client.call('settings.python'), lab.client.call('lab.info')]);
    this.python = python;
    this.pythonInput = python.saved ?? '';
    this.info = info;
    // Loading tfjs takes a moment: the rest of the page does not wait for it.
    void lab.client.call('lab.backends').then((b) => (this.backends = b)).catch((e: Error) => (this.backends = { requested: 'auto', backend: null, attempts: [], details: {}, error: e.message }));
  }

  async savePython(path: string | null): Promise<void> {
    this.busy = true;
    this.pythonError = null;
    try {
      this.python = await lab.client.call('settings.setPython', { path });
      this.pythonInput = this.python.saved ?? '';
      notices.push(path === null ? 'Interpreter reset to the default' : `Interpreter saved: Python ${this.python.version}`);
    } catch (error) {
      this.pythonError = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }
}
