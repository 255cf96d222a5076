import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { ApiResponse } from '#shared/api/api-error.ts';
import type { LabEvent } from '#shared/api/events.ts';

export const CALL_CHANNEL = 'lab:call';
export const EVENT_CHANNEL = 'lab:event';

/** What main relays to: the engine host (engine-host-client.ts). */
export interface RelayTarget {
  call(method: string, input: unknown): Promise<ApiResponse>;
  subscribe(listener: (event: LabEvent) => void): () => void;
}

/**
 * Wires the window's preload bridge to the engine host: main only relays. A call is answered only
 * when it comes from the top frame of one of our windows showing our renderer; input is validated
 * by the API in the host, and every API event goes to every window.
 */
export function wireIpc(target: RelayTarget, rendererUrl: () => string): () => void {
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    if (!frame || frame !== event.sender.mainFrame) return false;
    if (!BrowserWindow.fromWebContents(event.sender)) return false;
    return frame.url.startsWith(rendererUrl());
  };
  ipcMain.handle(CALL_CHANNEL, (event, method: unknown, input: unknown) => {
    if (!trusted(event)) return { ok: false, error: { code: 'unauthorized', message: 'IPC call from an untrusted frame' } };
    return target.call(typeof method === 'string' ? method : '', input);
  });
  const unsubscribe = target.subscribe((event) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event);
    }
  });
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    unsubscribe();
  };
}
