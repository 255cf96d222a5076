import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCompleteCheckpoint, type CheckpointArray, type CheckpointPayload } from '#lab/training/checkpoint-files.ts';

/** A checkpoint as it travels between a worker and the lab: its manifest and its array bytes. */
export interface CheckpointTransfer {
  episode: number;
  /** manifest.json as written by writeCheckpoint. */
  manifest: string;
  /** arrays.bin, base64. */
  data: string;
}

const ARRAY_TYPES = { Float32Array, Float64Array, Int32Array, Uint32Array, Uint8Array, Int8Array, Uint16Array } as const;

export function encodeCheckpoint(dir: string, episode: number): CheckpointTransfer {
  if (!isCompleteCheckpoint(dir)) throw new Error(`${dir} is not a complete checkpoint`);
  return {
    episode,
    manifest: readFileSync(join(dir, 'manifest.json'), 'utf8'),
    data: readFileSync(join(dir, 'arrays.bin')).toString('base64'),
  };
}

/** The payload again, checked against its manifest, ready for writeCheckpoint on the other side. */
export function decodeCheckpoint(transfer: CheckpointTransfer): CheckpointPayload {
  const manifest = JSON.parse(transfer.manifest) as { meta: unknown; arrays: { name: string; type: string; offset: number; length: number }[] };
  const data = Buffer.from(transfer.data, 'base64');
  const arrays: Record<string, CheckpointArray> = {};
  for (const entry of manifest.arrays) {
    const Type = ARRAY_TYPES[entry.type as keyof typeof ARRAY_TYPES];
    if (!Type) throw new Error(`checkpoint array "${entry.name}" has unknown type ${entry.type}`);
    const end = entry.offset + entry.length * Type.BYTES_PER_ELEMENT;
    if (end > data.length) throw new Error(`checkpoint array "${entry.name}" runs past the data (${end} > ${data.length} bytes)`);
    const copy = new Uint8Array(end - entry.offset);
    copy.set(data.subarray(entry.offset, end));
    arrays[entry.name] = new Type(copy.buffer, 0, entry.length);
  }
  return { meta: manifest.meta, arrays };
}
