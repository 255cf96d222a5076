import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { HarnessMessage, HarnessRequest } from './desktop-harness.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
export const MAIN_BUNDLE = join(ROOT, 'out', 'main', 'index.js');
const HARNESS = fileURLToPath(new URL('./desktop-harness.ts', import.meta.url));
const REGISTER = pathToFileURL(fileURLToPath(new URL('./register-electron-stand-in.mjs', import.meta.url))).href;
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

type Request = HarnessRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

/** The built app's main process on the electron stand-in, driven as its renderer would. */
export interface DesktopApp {
  readonly process: ChildProcess;
  /** Events that reached the renderer through the preload, in order. */
  readonly events: unknown[];
  /** URLs the windows loaded. */
  readonly windows: { url: string; preload: boolean }[];
  readonly stderr: () => string;
  /** Resolves with the exit code once the app's process has ended. */
  readonly exited: Promise<number | null>;
  /** window.lab.call(method, input): preload -> main -> engine host. */
  call(method: string, input?: unknown): Promise<unknown>;
  callFromSubframe(method: string, input?: unknown): Promise<unknown>;
  quit(): Promise<number | null>;
}

export function launchDesktopApp(env: NodeJS.ProcessEnv, waitFor: 'ready' | 'window' = 'ready'): Promise<DesktopApp> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, '--import', REGISTER, HARNESS, MAIN_BUNDLE], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const events: unknown[] = [];
  const windows: { url: string; preload: boolean }[] = [];
  const answers = new Map<number, (result: unknown) => void>();
  let nextId = 0;
  const request = (body: Request) =>
    new Promise<unknown>((done, fail) => {
      const id = ++nextId;
      answers.set(id, done);
      child.send({ ...body, id } as HarnessRequest);
      void exited.then((code) => fail(new Error(`the app exited (code ${code}) before answering:\n${stderr}`)));
    });
  const app: DesktopApp = {
    process: child,
    events,
    windows,
    stderr: () => stderr,
    exited,
    call: (method, input) => request({ op: 'call', method, input }),
    callFromSubframe: (method, input) => request({ op: 'call-from-subframe', method, input }),
    async quit() {
      await request({ op: 'quit' });
      return exited;
    },
  };
  return new Promise((done, fail) => {
    child.on('message', (message: HarnessMessage) => {
      if ('id' in message) {
        answers.get(message.id)?.(message.result);
        answers.delete(message.id);
      } else if (message.type === 'event') events.push(message.event);
      else if (message.type === 'window') {
        windows.push({ url: message.url, preload: message.preload });
        if (waitFor === 'window') done(app);
      } else if (message.type === 'ready' && waitFor === 'ready') done(app);
    });
    void exited.then((code) => fail(new Error(`the app exited (code ${code}) before its window opened:\n${stderr}`)));
  });
}

/** Every process below `pid` (Linux /proc), for proving that none is left behind. */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parentOf) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}
