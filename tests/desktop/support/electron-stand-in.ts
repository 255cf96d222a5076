/**
 * A stand-in for the `electron` module, enough of it to run the app's built main process and its
 * preload in plain Node: app (life cycle, quit sequence), BrowserWindow + webContents, ipcMain and
 * the sandboxed preload's ipcRenderer and contextBridge (structured-clone IPC between them), Menu,
 * dialog, shell and screen. Windows load nothing; each navigation runs the window's preload in a
 * fresh "world", as Electron does, and what it exposes is kept for the test to call.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

type Listener = (...args: unknown[]) => void;
type Handler = (event: IpcEvent, ...args: unknown[]) => unknown;

export class WebFrame {
  constructor(readonly url: string) {}
}

export interface IpcEvent {
  sender: WebContents;
  senderFrame: WebFrame;
}

/** What the stand-in lets a test see: windows as they load, the menu, dialogs. */
export const standIn = new EventEmitter<{ 'window-loaded': [BrowserWindow] }>();
export const recorded = { errorBoxes: [] as string[][], menu: undefined as unknown };

const handlers = new Map<string, Handler>();

export const ipcMain = {
  handle(channel: string, handler: Handler): void {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    handlers.delete(channel);
  },
};

/** An ipcRenderer.invoke as a given frame of the window makes it (a subframe, say). */
export async function invokeFrom(contents: WebContents, frame: WebFrame, channel: string, ...args: unknown[]): Promise<unknown> {
  const handler = handlers.get(channel);
  if (!handler) throw new Error(`Error invoking remote method '${channel}': No handler registered for '${channel}'`);
  return structuredClone(await handler({ sender: contents, senderFrame: frame }, ...structuredClone(args)));
}

export class WebContents extends EventEmitter {
  mainFrame = new WebFrame('about:blank');
  /** What the preload exposed with contextBridge in the current page. */
  world: Record<string, unknown> = {};
  readonly scripts: string[] = [];
  private rendererListeners = new Map<string, Set<Listener>>();

  constructor(readonly window: BrowserWindow) {
    super();
  }

  send(channel: string, ...args: unknown[]): void {
    const payload = structuredClone(args);
    setImmediate(() => {
      for (const listener of this.rendererListeners.get(channel) ?? []) listener({ sender: undefined }, ...payload);
    });
  }

  setWindowOpenHandler(): void {}

  executeJavaScript(code: string): Promise<unknown> {
    this.scripts.push(code);
    return Promise.resolve(undefined);
  }

  isDestroyed(): boolean {
    return this.window.isDestroyed();
  }

  /** Runs a sandboxed preload: CommonJS whose `require` knows only `electron`. */
  runPreload(file: string): void {
    this.world = {};
    this.rendererListeners = new Map();
    const renderer = {
      contextBridge: {
        exposeInMainWorld: (key: string, api: unknown) => {
          this.world[key] = api;
        },
      },
      ipcRenderer: {
        invoke: (channel: string, ...args: unknown[]) => invokeFrom(this, this.mainFrame, channel, ...args),
        on: (channel: string, listener: Listener) => {
          const set = this.rendererListeners.get(channel) ?? new Set();
          set.add(listener);
          this.rendererListeners.set(channel, set);
        },
        removeListener: (channel: string, listener: Listener) => {
          this.rendererListeners.get(channel)?.delete(listener);
        },
      },
    };
    const module = { exports: {} };
    const sandboxRequire = (id: string) => {
      if (id === 'electron') return renderer;
      throw new Error(`module not found: ${id} (a sandboxed preload may require only electron)`);
    };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function('require', 'module', 'exports', readFileSync(file, 'utf8'))(sandboxRequire, module, module.exports);
  }
}

interface WindowOptions {
  webPreferences?: { preload?: string; sandbox?: boolean; contextIsolation?: boolean; nodeIntegration?: boolean };
  [key: string]: unknown;
}

export class BrowserWindow extends EventEmitter {
  private static readonly open = new Set<BrowserWindow>();
  readonly webContents = new WebContents(this);
  private destroyed = false;

  constructor(readonly options: WindowOptions = {}) {
    super();
    BrowserWindow.open.add(this);
  }

  static getAllWindows(): BrowserWindow[] {
    return [...BrowserWindow.open];
  }

  static fromWebContents(contents: WebContents): BrowserWindow | null {
    return BrowserWindow.open.has(contents.window) ? contents.window : null;
  }

  static getFocusedWindow(): BrowserWindow | null {
    return BrowserWindow.getAllWindows()[0] ?? null;
  }

  loadFile(file: string): Promise<void> {
    return this.navigate(pathToFileURL(file).href);
  }

  loadURL(url: string): Promise<void> {
    return this.navigate(url);
  }

  private navigate(url: string): Promise<void> {
    this.webContents.mainFrame = new WebFrame(url);
    const preload = this.options.webPreferences?.preload;
    if (preload) this.webContents.runPreload(preload);
    setImmediate(() => {
      this.emit('ready-to-show');
      standIn.emit('window-loaded', this);
    });
    return Promise.resolve();
  }

  close(): void {
    if (this.destroyed) return;
    const event = preventable();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyed = true;
    BrowserWindow.open.delete(this);
    this.emit('closed');
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
  getNormalBounds() {
    return { x: 0, y: 0, width: 1360, height: 860 };
  }
  isMaximized(): boolean {
    return false;
  }
  isMinimized(): boolean {
    return false;
  }
  maximize(): void {}
  restore(): void {}
  focus(): void {}
  show(): void {}
}

function preventable(): { defaultPrevented: boolean; preventDefault(): void } {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

class App extends EventEmitter {
  private readonly paths = new Map<string, string>();

  setPath(name: string, path: string): void {
    this.paths.set(name, path);
  }
  getPath(name: string): string {
    const path = this.paths.get(name);
    if (!path) throw new Error(`no path "${name}" in the stand-in`);
    return path;
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  whenReady(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  /** Electron's order: before-quit (may be prevented), windows close, will-quit, quit, exit. */
  quit(): void {
    const beforeQuit = preventable();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return;
    for (const window of BrowserWindow.getAllWindows()) window.close();
    const willQuit = preventable();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) return;
    this.emit('quit', {}, 0);
    setImmediate(() => process.exit(0));
  }

  exit(code = 0): void {
    process.exit(code);
  }
}

export const app = new App();

export const Menu = {
  buildFromTemplate: (template: unknown) => ({ template }),
  setApplicationMenu(menu: unknown): void {
    recorded.menu = menu;
  },
};

export const dialog = {
  showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] as string[] }),
  showErrorBox(title: string, content: string): void {
    recorded.errorBoxes.push([title, content]);
  },
  showMessageBox: () => Promise.resolve({ response: 0, checkboxChecked: false }),
};

export const shell = { openExternal: () => Promise.resolve() };

export const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
};
