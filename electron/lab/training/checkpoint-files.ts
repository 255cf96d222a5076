import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Typed arrays a checkpoint can hold; their bytes are written as they are (little-endian hosts). */
export type CheckpointArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array | Int8Array | Uint16Array;

/** What a checkpoint holds: JSON (counters, config, RNG state) and named typed arrays (weights, replay). */
export interface CheckpointPayload {
  meta: unknown;
  arrays: Record<string, CheckpointArray>;
}

const ARRAY_TYPES = { Float32Array, Float64Array, Int32Array, Uint32Array, Uint8Array, Int8Array, Uint16Array } as const;
type ArrayTypeName = keyof typeof ARRAY_TYPES;

const MANIFEST = 'manifest.json';
const DATA = 'arrays.bin';
/** Written last, after every other byte is on disk: a folder without it is not a checkpoint. */
export const COMPLETE_MARKER = 'COMPLETE';

function writeFileDurably(path: string, chunks: readonly Uint8Array[]): void {
  const fd = openSync(path, 'w');
  try {
    for (const chunk of chunks) {
      let offset = 0;
      while (offset < chunk.length) offset += writeSync(fd, chunk, offset, chunk.length - offset);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a checkpoint folder atomically: everything goes to `<dir>.partial`, is fsynced, gets its
 * completion marker, and only then is renamed to `dir`. A kill at any moment leaves either the old
 * state or the complete new one; a leftover `.partial` folder is ignored and cleaned later.
 */
export function writeCheckpoint(dir: string, payload: CheckpointPayload): void {
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const entries: { name: string; type: ArrayTypeName; offset: number; length: number }[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, array] of Object.entries(payload.arrays)) {
    const type = array.constructor.name as ArrayTypeName;
    if (!(type in ARRAY_TYPES)) throw new Error(`checkpoint array "${name}" has unsupported type ${type}`);
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    // Align every array to 8 bytes so it can be viewed in place when read back.
    const padding = (8 - (offset % 8)) % 8;
    if (padding) chunks.push(new Uint8Array(padding));
    offset += padding;
    entries.push({ name, type, offset, length: array.length });
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  writeFileDurably(join(partial, DATA), chunks);
  writeFileDurably(join(partial, MANIFEST), [new TextEncoder().encode(JSON.stringify({ version: 1, meta: payload.meta, arrays: entries }))]);
  writeFileDurably(join(partial, COMPLETE_MARKER), [new TextEncoder().encode(new Date().toISOString())]);
  fsyncDir(partial);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  fsyncDir(join(dir, '..'));
}

export function isCompleteCheckpoint(dir: string): boolean {
  return existsSync(join(dir, COMPLETE_MARKER)) && existsSync(join(dir, MANIFEST)) && existsSync(join(dir, DATA));
}

export function readCheckpoint(dir: string): CheckpointPayload {
  if (!isCompleteCheckpoint(dir)) throw new Error(`${dir} is not a complete checkpoint (no ${COMPLETE_MARKER} marker)`);
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as {
    version: number;
    meta: unknown;
    arrays: { name: string; type: ArrayTypeName; offset: number; length: number }[];
  };
  const data = readFileSync(join(dir, DATA));
  const arrays: Record<string, CheckpointArray> = {};
  for (const entry of manifest.arrays) {
    const Type = ARRAY_TYPES[entry.type];
    // Copy out of the file buffer: Node may pool small buffers, and views must own their memory.
    const bytes = data.subarray(entry.offset, entry.offset + entry.length * Type.BYTES_PER_ELEMENT);
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    arrays[entry.name] = new Type(copy.buffer, 0, entry.length);
  }
  return { meta: manifest.meta, arrays };
}

/** Complete checkpoint folders under `root`, by name; partial ones are removed. */
export function listCheckpointDirs(root: string): string[] {
  if (!existsSync(root)) return [];
  const names = readdirSync(root).sort();
  for (const name of names) if (name.endsWith('.partial')) rmSync(join(root, name), { recursive: true, force: true });
  return names.filter((name) => !name.endsWith('.partial') && isCompleteCheckpoint(join(root, name)));
}
