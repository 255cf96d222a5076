import { closeSync, ftruncateSync, openSync, readSync, rmSync, writeSync } from 'node:fs';

/**
 * A first-in first-out queue of JSON items kept in a local file, so what a worker could not yet
 * deliver waits on disk rather than in memory. `bytes` tells its owner when to slow the producer.
 */
export class Spool<T> {
  private readonly fd: number;
  private readonly entries: { offset: number; length: number }[] = [];
  private head = 0;
  private end = 0;
  private pendingBytes = 0;

  constructor(private readonly path: string) {
    this.fd = openSync(path, 'w+');
  }

  get length(): number {
    return this.entries.length - this.head;
  }

  /** Bytes written and not yet taken off. */
  get bytes(): number {
    return this.pendingBytes;
  }

  push(item: T): void {
    const data = Buffer.from(`${JSON.stringify(item)}\n`);
    let written = 0;
    while (written < data.length) written += writeSync(this.fd, data, written, data.length - written, this.end + written);
    this.entries.push({ offset: this.end, length: data.length });
    this.end += data.length;
    this.pendingBytes += data.length;
  }

  peek(): T | undefined {
    const entry = this.entries[this.head];
    if (!entry) return undefined;
    const data = Buffer.alloc(entry.length);
    let read = 0;
    while (read < entry.length) read += readSync(this.fd, data, read, entry.length - read, entry.offset + read);
    return JSON.parse(data.toString('utf8')) as T;
  }

  shift(): void {
    const entry = this.entries[this.head];
    if (!entry) return;
    this.head++;
    this.pendingBytes -= entry.length;
    if (this.head === this.entries.length) {
      // Everything was delivered: start the file over instead of letting it grow.
      this.entries.length = 0;
      this.head = 0;
      this.end = 0;
      ftruncateSync(this.fd, 0);
    }
  }

  close(): void {
    closeSync(this.fd);
    rmSync(this.path, { force: true });
  }
}
