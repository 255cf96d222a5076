import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { WorkerCommand } from './sandbox.ts';
import { parseWorkerFrame, type WorkerFrame } from './worker-messages.ts';

/** What the candidate's stdout/stderr keep for diagnostics; everything beyond is read and dropped. */
const DIAGNOSTIC_BYTES = 16 * 1024;

export interface WorkerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Why we killed it, if we did. */
  readonly killedFor: string | undefined;
  /** The head of what the worker wrote on stdout/stderr (startup errors show up here). */
  readonly diagnostics: string;
}

export interface WorkerEvents {
  frame(frame: WorkerFrame): void;
  exit(exit: WorkerExit): void;
}

/**
 * One harness process (inside its sandbox): requests go down fd 3, frames come up fd 4, and the
 * candidate's stdout/stderr are drained without limit but kept only up to a small cap, so a sample
 * that prints 100 MB neither blocks the worker nor grows our memory.
 */
export class WorkerProcess {
  private readonly child: ChildProcess;
  private readonly input: Writable;
  private pending = '';
  private diagnostics = '';
  private killedFor: string | undefined;
  private gone = false;
  /** Bytes the worker wrote on stdout/stderr in all. */
  outputBytes = 0;

  constructor(command: WorkerCommand, private readonly events: WorkerEvents) {
    this.child = spawn(command.file, command.args, {
      cwd: command.cwd,
      env: command.env,
      // stdin is /dev/null; 3 and 4 are the protocol; its own process group, so one kill ends it all.
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    this.input = this.child.stdio[3] as Writable;
    this.input.on('error', () => this.kill('its request pipe broke'));
    const frames = this.child.stdio[4] as Readable;
    frames.setEncoding('utf8');
    frames.on('data', (text: string) => this.onData(text));
    frames.on('error', () => undefined);
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        this.outputBytes += chunk.length;
        if (this.diagnostics.length < DIAGNOSTIC_BYTES) this.diagnostics += chunk.toString('utf8', 0, DIAGNOSTIC_BYTES);
      });
    }
    this.child.on('error', (error) => {
      this.diagnostics += `\n${error.message}`;
    });
    this.child.on('close', (code, signal) => {
      this.gone = true;
      this.events.exit({ code, signal, killedFor: this.killedFor, diagnostics: this.diagnostics.slice(0, DIAGNOSTIC_BYTES) });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return !this.gone;
  }

  send(request: unknown): void {
    this.input.write(`${JSON.stringify(request)}\n`);
  }

  /** SIGKILLs the worker's whole process group; the sandbox takes everything inside down with it. */
  kill(reason: string): void {
    if (this.gone) return;
    this.killedFor ??= reason;
    const pid = this.child.pid;
    try {
      if (pid !== undefined) process.kill(-pid, 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
  }

  private onData(text: string): void {
    const buffer = this.pending + text;
    let start = 0;
    let newline = buffer.indexOf('\n');
    while (newline >= 0 && !this.killedFor) {
      const line = buffer.slice(start, newline);
      start = newline + 1;
      let frame: WorkerFrame;
      try {
        frame = parseWorkerFrame(line);
      } catch (error) {
        this.kill(`it broke the protocol (${(error as Error).message.slice(0, 200)})`);
        return;
      }
      this.events.frame(frame);
      newline = buffer.indexOf('\n', start);
    }
    this.pending = buffer.slice(start);
  }
}
