import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { LabApi } from '#lab/api/create-lab-api.ts';

export const CALL_CHANNEL = 'lab:call';
export const EVENT_CHANNEL = 'lab:event';

/**
 * Wires the lab API to IPC: main only relays (docs/architecture.md, "Thin main, named preload"). A call is answered only when it
 * comes from the top frame of one of our windows showing our renderer; input is validated by the
 * API itself, and every API event goes to every window.
 */
export function wireIpc(api: LabApi, rendererUrl: () => string): () => void {
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    if (!frame || frame !== event.sender.mainFrame) return false;
    if (!BrowserWindow.fromWebContents(event.sender)) return false;
    return frame.url.startsWith(rendererUrl());
  };
  ipcMain.handle(CALL_CHANNEL, (event, method: unknown, input: unknown) => {
    if (!trusted(event)) return { ok: false, error: { code: 'unauthorized', message: 'IPC call from an untrusted frame' } };
    return api.call(typeof method === 'string' ? method : '', input);
  });
  const unsubscribe = api.subscribe((event) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event);
    }
  });
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    unsubscribe();
  };
}
