import { router } from './router.svelte.ts';
import { theme } from './theme.svelte.ts';

export interface Shortcut {
  keys: string;
  does: string;
}

/** A view's own shortcuts (the dashboard's run controls), registered while it is shown. */
type ViewHandler = (key: string) => boolean;

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || !!el.closest('.monaco-editor'));
}

/** Keyboard shortcuts for the main actions; never while typing in a field or the editor. */
class Shortcuts {
  helpOpen = $state(false);
  private view: ViewHandler | null = null;

  readonly global: Shortcut[] = [
    { keys: 'e', does: 'experiments' },
    { keys: 'n', does: 'new experiment' },
    { keys: '/', does: 'search experiments' },
    { keys: 't', does: 'light / dark theme' },
    { keys: '?', does: 'this help' },
  ];
  readonly dashboard: Shortcut[] = [
    { keys: 'space', does: 'pause / resume the run' },
    { keys: 's', does: 'stop the run' },
    { keys: 'r', does: 'resume from checkpoint' },
    { keys: 'c', does: 'clone the experiment' },
  ];

  setView(handler: ViewHandler | null): void {
    this.view = handler;
  }

  handle(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'Escape') {
      this.helpOpen = false;
      return;
    }
    if (typing(event.target)) return;
    const key = event.key === ' ' ? 'space' : event.key;
    if (this.view?.(key)) {
      event.preventDefault();
      return;
    }
    const actions: Record<string, () => void> = {
      e: () => router.go('#/experiments'),
      n: () => router.go('#/new'),
      t: () => void theme.toggle(),
      '?': () => (this.helpOpen = !this.helpOpen),
      '/': () => {
        router.go('#/experiments');
        requestAnimationFrame(() => document.querySelector<HTMLInputElement>('[data-testid="search"]')?.focus());
      },
    };
    const action = actions[key];
    if (action) {
      event.preventDefault();
      action();
    }
  }
}

export const shortcuts = new Shortcuts();
