import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ApiResponse } from '#shared/api/api-error.ts';
import type { LabEvent } from '#shared/api/events.ts';
import { hostMessageSchema, type HostMessage, type HostRequest, type HostStart } from './host-protocol.ts';

/**
 * The host's launcher. This file sits two folders below the project root, and so does the app's
 * bundled out/main/index.js that carries it, so the same relative step works from both.
 */
export const ENGINE_HOST_ENTRY = fileURLToPath(new URL('../../electron/host/engine-host.js', import.meta.url));

export interface EngineHostOptions extends HostStart {
  /** The Node.js executable (findNode). */
  nodePath: string;
  entry?: string;
  env?: NodeJS.ProcessEnv;
  /** How long opening the store may take. */
  startTimeoutMs?: number;
}

type Request = { type: 'call'; method: string; input: unknown } | { type: 'stop' };
type RequestBody<R> = R extends unknown ? Omit<R, 'seq'> : never;

/**
 * The main process's handle on the engine host: the API's `call` and `subscribe`, carried as
 * numbered envelopes over the child's IPC channel. Calls made after the host has gone are answered
 * with an `internal` error that says so, never left hanging.
 */
export class EngineHost {
  private seq = 0;
  private readonly pending = new Map<number, (message: HostMessage) => void>();
  private readonly listeners = new Set<(event: LabEvent) => void>();
  private exitReason: string | undefined;
  readonly exited: Promise<string>;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (raw: unknown) => this.receive(raw));
    // A send on a channel that has just closed is reported here; the exit that follows answers the calls.
    child.on('error', () => {});
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exitReason = `the lab engine stopped (${signal ? `signal ${signal}` : `exit code ${code}`})`;
        for (const answer of this.pending.values()) answer({ seq: -1, error: { name: 'EngineHostExited', message: this.exitReason } });
        this.pending.clear();
        resolve(this.exitReason);
      });
    });
  }

  static async start(options: EngineHostOptions): Promise<EngineHost> {
    const env = { ...(options.env ?? process.env) };
    delete env.ELECTRON_RUN_AS_NODE;
    const start: HostStart = { dbPath: options.dbPath };
    const child = spawn(options.nodePath, [options.entry ?? ENGINE_HOST_ENTRY, JSON.stringify(start)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env,
    });
    const host = new EngineHost(child);
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the lab engine did not start within ${options.startTimeoutMs ?? 60_000} ms`)), options.startTimeoutMs ?? 60_000);
      const onMessage = (raw: unknown) => {
        const parsed = hostMessageSchema.safeParse(raw);
        if (!parsed.success || !('type' in parsed.data)) return;
        if (parsed.data.type === 'ready') resolve();
        else if (parsed.data.type === 'failed') reject(new Error(`the lab engine could not start: ${parsed.data.error.message}`));
        else return;
        clearTimeout(timer);
        child.off('message', onMessage);
      };
      child.on('message', onMessage);
      child.once('error', (error) => reject(new Error(`the lab engine could not start (${options.nodePath}): ${error.message}`)));
      void host.exited.then((reason) => reject(new Error(reason)));
    });
    try {
      await ready;
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return host;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  call(method: string, input: unknown): Promise<ApiResponse> {
    return this.request({ type: 'call', method, input }).then(
      (result) => result as ApiResponse,
      (error: Error) => ({ ok: false, error: { code: 'internal', message: error.message } }),
    );
  }

  subscribe(listener: (event: LabEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stops the engine (its trainers checkpoint first) and waits for the host to exit; a host that
   * has not left after `timeoutMs` is killed, and its trainers, losing their parent, stop too.
   */
  async stop(timeoutMs = 60_000): Promise<void> {
    if (this.exitReason !== undefined) return;
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      await this.request({ type: 'stop' }).catch(() => {});
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private request(body: RequestBody<Request>): Promise<unknown> {
    if (this.exitReason !== undefined) return Promise.reject(new Error(this.exitReason));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, (message) => {
        if ('error' in message) reject(new Error(message.error.message));
        else if ('result' in message) resolve(message.result);
      });
      this.child.send({ ...body, seq } satisfies HostRequest, (error) => {
        if (!error) return;
        this.pending.delete(seq);
        reject(new Error(`the lab engine cannot be reached: ${error.message}`));
      });
    });
  }

  private receive(raw: unknown): void {
    const parsed = hostMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if ('seq' in message) {
      const answer = this.pending.get(message.seq);
      this.pending.delete(message.seq);
      answer?.(message);
    } else if (message.type === 'event') {
      for (const listener of this.listeners) listener(message.event as LabEvent);
    }
  }
}
