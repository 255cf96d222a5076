import { app, BrowserWindow, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EngineHost } from '../host/engine-host-client.ts';
import { findNode, NODE_MISSING_MESSAGE } from '../host/find-node.ts';
import { defaultDatabasePath, labDataDir } from '#lab/store/data-dir.ts';
import { installMenu } from './app-menu.ts';
import { showEngineError } from './engine-error-page.ts';
import { wireIpc } from './ipc-bridge.ts';
import { keepWindowState, loadWindowState } from './window-state.ts';

// The app and the CLI share one data folder (and so one database), whatever Electron would pick.
app.setPath('userData', labDataDir());

const RENDERER_FILE = join(import.meta.dirname, '../renderer/index.html');
const rendererUrl = () => process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(RENDERER_FILE).href;

function createWindow(): BrowserWindow {
  const state = loadWindowState(app.getPath('userData'));
  const window = new BrowserWindow({
    ...state,
    minWidth: 900,
    minHeight: 600,
    title: 'RL Code Lab',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
    },
  });
  if (state.maximized) window.maximize();
  keepWindowState(window, app.getPath('userData'));
  window.once('ready-to-show', () => window.show());
  // Links to elsewhere open in the user's browser; the window itself never leaves the renderer.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https:')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(rendererUrl())) event.preventDefault();
  });
  if (process.env.ELECTRON_RENDERER_URL) void window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void window.loadFile(RENDERER_FILE);
  return window;
}

function focusOrCreate(hash?: string): void {
  const [window] = BrowserWindow.getAllWindows();
  const target = window ?? createWindow();
  if (target.isMinimized()) target.restore();
  target.focus();
  if (hash) void target.webContents.executeJavaScript(`window.location.hash = ${JSON.stringify(hash)}`);
}

/**
 * The engine (store, API, trainers) runs in a plain Node child, never in this process: native
 * addons built by `npm install` for Node (better-sqlite3) cannot load in Electron's runtime.
 */
async function startEngine(): Promise<EngineHost | undefined> {
  const nodePath = findNode();
  if (!nodePath) {
    showEngineError(NODE_MISSING_MESSAGE);
    return undefined;
  }
  try {
    return await EngineHost.start({ nodePath, dbPath: process.env.LAB_DB_PATH ?? defaultDatabasePath() });
  } catch (error) {
    showEngineError((error as Error).message);
    return undefined;
  }
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => focusOrCreate());
  await app.whenReady();
  const engine = await startEngine();
  if (!engine) return;
  let quitting = false;
  void engine.exited.then((reason) => {
    if (!quitting) showEngineError(`${reason}; the lab's calls cannot be answered. Restart the app (your runs and results are kept).`);
  });
  const unwire = wireIpc(engine, rendererUrl);
  installMenu(engine, (hash) => focusOrCreate(hash));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Running trainers checkpoint before the app goes; the host exits after them.
    event.preventDefault();
    quitting = true;
    void engine.stop().finally(() => {
      unwire();
      app.quit();
    });
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

void main();
