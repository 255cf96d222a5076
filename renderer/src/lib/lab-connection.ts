import type { LabBridge, LabClient } from '#shared/api/contract.ts';
import { parseLabEvent } from '#shared/api/events.ts';
import { createLabClient } from '#shared/api/lab-client.ts';
import { httpBridge, type ConnectionState } from './http-bridge.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser talking to the lab server. */
    lab?: LabBridge;
  }
}

/**
 * The one client of the app. Electron's preload bridge and the lab server's HTTP + WebSocket are
 * two transports of the same contract; nothing past this function knows which one it has.
 */
export function connectLab(onState: (state: ConnectionState) => void): LabClient {
  const ipc = window.lab;
  if (ipc) {
    onState('open');
    // Events are parsed here as the WebSocket's are: the renderer trusts no transport.
    return createLabClient({
      call: (method, input) => ipc.call(method, input),
      listen: (handler) =>
        ipc.listen((raw) => {
          const event = parseLabEvent(raw);
          if (event) handler(event);
        }),
    });
  }
  return createLabClient(httpBridge(onState));
}
