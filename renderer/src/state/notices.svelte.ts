export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

/** Short messages at the corner of the window: failed calls, confirmations. */
class Notices {
  items = $state<Notice[]>([]);
  private next = 1;

  push(text: string, kind: Notice['kind'] = 'info'): void {
    const id = this.next++;
    this.items.push({ id, kind, text });
    setTimeout(() => this.dismiss(id), kind === 'error' ? 8000 : 3000);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
  }

  /** Runs an action and shows its error, if any, instead of letting it vanish. */
  async guard<T>(action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action();
    } catch (error) {
      this.push((error as Error).message, 'error');
      return undefined;
    }
  }
}

export const notices = new Notices();
