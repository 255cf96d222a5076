import type { UiSettings } from '#shared/api/lab-api.ts';
import { lab } from './lab.svelte.ts';

type Theme = UiSettings['theme'];

/** Light, dark, or the system's; kept in the lab's settings so every window and transport agrees. */
class ThemeState {
  setting = $state<Theme>('system');
  private prefersDark = $state(window.matchMedia('(prefers-color-scheme: dark)').matches);
  effective = $derived<'light' | 'dark'>(this.setting === 'system' ? (this.prefersDark ? 'dark' : 'light') : this.setting);

  constructor() {
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', (e) => (this.prefersDark = e.matches));
    lab.client.listen('SettingsChanged', (s) => (this.setting = s.theme));
    void lab.client.call('settings.get').then((s) => (this.setting = s.theme)).catch(() => {});
  }

  async set(theme: Theme): Promise<void> {
    this.setting = theme;
    await lab.client.call('settings.set', { theme });
  }

  toggle(): Promise<void> {
    return this.set(this.effective === 'dark' ? 'light' : 'dark');
  }
}

export const theme = new ThemeState();
