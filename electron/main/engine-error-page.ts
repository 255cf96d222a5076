import { BrowserWindow } from 'electron';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Where the engine cannot run (no Node.js, a store that will not open), the window says so
 * instead of showing a lab whose every call fails; the same text goes to stderr.
 */
export function showEngineError(message: string): BrowserWindow {
  process.stderr.write(`RL Code Lab: ${message}\n`);
  const window = new BrowserWindow({
    width: 720,
    height: 360,
    title: 'RL Code Lab cannot start',
    webPreferences: { contextIsolation: true, nodeIntegration: false, sandbox: true },
  });
  const html =
    '<!doctype html><meta charset="utf-8"><title>RL Code Lab cannot start</title>' +
    '<body style="font: 15px/1.5 system-ui, sans-serif; margin: 2em; max-width: 44em">' +
    `<h1 style="font-size: 1.3em">RL Code Lab cannot start</h1><p data-testid="engine-error">${escapeHtml(message)}</p></body>`;
  void window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
  return window;
}
