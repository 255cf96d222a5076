import type { LabBridge } from '#shared/api/contract.ts';
import { parseLabEvent, type LabEvent } from '#shared/api/events.ts';

export type ConnectionState = 'connecting' | 'open' | 'closed';

/**
 * The lab server's transport: API calls as `POST /api/<method>` (the token travels in the cookie
 * the server set when the page was opened), events over a WebSocket at `/events` that reconnects
 * with backoff after the server restarts.
 */
export function httpBridge(onState: (state: ConnectionState) => void, base: Location = window.location): LabBridge {
  const listeners = new Set<(event: LabEvent) => void>();
  let socket: WebSocket | undefined;
  let retryMs = 250;

  function connect(): void {
    onState('connecting');
    const url = `${base.protocol === 'https:' ? 'wss' : 'ws'}://${base.host}/events`;
    socket = new WebSocket(url);
    socket.onopen = () => {
      retryMs = 250;
      onState('open');
    };
    socket.onmessage = (message) => {
      let raw: unknown;
      try {
        raw = JSON.parse(String(message.data));
      } catch {
        return;
      }
      const event = parseLabEvent(raw);
      if (event) for (const listener of listeners) listener(event);
    };
    socket.onclose = () => {
      onState('closed');
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  }

  return {
    async call(method, input) {
      let response: Response;
      try {
        response = await fetch(`/api/${method}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: input === undefined ? '' : JSON.stringify(input),
        });
      } catch (error) {
        return { ok: false, error: { code: 'internal', message: `the lab server cannot be reached (${(error as Error).message})` } };
      }
      try {
        return (await response.json()) as unknown;
      } catch {
        return { ok: false, error: { code: 'internal', message: `the lab server answered ${response.status} without JSON` } };
      }
    },
    listen(listener) {
      if (!socket) connect();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
