/**
 * Runs the app's built main process (out/main/index.js, argv[2]) against the electron stand-in
 * and lets the test that started it act as the renderer: calls go through the preload's
 * `window.lab` (preload -> main -> engine host), events come back the same way.
 */
import { pathToFileURL } from 'node:url';
import type { LabBridge } from '#shared/api/contract.ts';
import { app, BrowserWindow, invokeFrom, standIn, WebFrame } from './electron-stand-in.ts';

export type HarnessRequest =
  | { id: number; op: 'call'; method: string; input: unknown }
  | { id: number; op: 'call-from-subframe'; method: string; input: unknown }
  | { id: number; op: 'quit' };

export type HarnessMessage =
  | { id: number; result: unknown }
  | { type: 'window'; url: string; preload: boolean }
  | { type: 'ready' }
  | { type: 'event'; event: unknown };

const send = (message: HarnessMessage) => process.send?.(message);

function labWindow(): BrowserWindow {
  const window = BrowserWindow.getAllWindows().find((w) => w.webContents.world.lab);
  if (!window) throw new Error('no window has window.lab');
  return window;
}

standIn.on('window-loaded', (window) => {
  const lab = window.webContents.world.lab as LabBridge | undefined;
  send({ type: 'window', url: window.webContents.mainFrame.url, preload: Boolean(lab) });
  if (!lab) return;
  lab.listen((event) => send({ type: 'event', event }));
  send({ type: 'ready' });
});

process.on('message', (request: HarnessRequest) => {
  void (async () => {
    if (request.op === 'call') {
      const lab = labWindow().webContents.world.lab as LabBridge;
      send({ id: request.id, result: await lab.call(request.method, request.input) });
    } else if (request.op === 'call-from-subframe') {
      const { webContents } = labWindow();
      const frame = new WebFrame('https://elsewhere.example/');
      send({ id: request.id, result: await invokeFrom(webContents, frame, 'lab:call', request.method, request.input) });
    } else {
      send({ id: request.id, result: null });
      app.quit();
    }
  })();
});

await import(pathToFileURL(process.argv[2]!).href);
