import type { LabClient } from '#shared/api/contract.ts';
import type { ConnectionState } from '../lib/http-bridge.ts';
import { connectLab } from '../lib/lab-connection.ts';

/** The app's one API client and the state of its connection (for the banner and re-syncs). */
class LabState {
  connection = $state<ConnectionState>('connecting');
  readonly client: LabClient;
  private readonly reconnectHandlers = new Set<() => void>();
  private wasOpen = false;

  constructor() {
    this.client = connectLab((state) => {
      this.connection = state;
      if (state === 'open') {
        // Events sent while the socket was down are lost: every view reloads what it shows.
        if (this.wasOpen) for (const handler of this.reconnectHandlers) handler();
        this.wasOpen = true;
      }
    });
  }

  onReconnect(handler: () => void): () => void {
    this.reconnectHandlers.add(handler);
    return () => this.reconnectHandlers.delete(handler);
  }
}

export const lab = new LabState();
