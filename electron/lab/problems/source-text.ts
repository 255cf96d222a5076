import { gunzipSync } from 'node:zlib';

/** A problem file's text, or why it is not text we accept. */
export type SourceText = { ok: true; text: string; gzipped: boolean } | { ok: false; message: string };

const MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024;

/**
 * Bytes to text: gunzips `.gz` content (HumanEval ships as .jsonl.gz), drops a UTF-8 byte-order
 * mark, and refuses invalid UTF-8 with the line where it starts, since a replacement character
 * silently entering a docstring or an expected string would change what the tests mean.
 */
export function decodeSourceBytes(bytes: Uint8Array): SourceText {
  let data = bytes;
  const gzipped = data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
  if (gzipped) {
    try {
      data = gunzipSync(data, { maxOutputLength: MAX_UNCOMPRESSED_BYTES });
    } catch (error) {
      return { ok: false, message: `cannot gunzip: ${(error as Error).message}` };
    }
  }
  if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data);
    return { ok: true, text, gzipped };
  } catch {
    const lenient = new TextDecoder('utf-8').decode(data);
    const at = lenient.indexOf('\uFFFD');
    const line = at < 0 ? 1 : lenient.slice(0, at).split('\n').length;
    const column = at < 0 ? 1 : at - lenient.lastIndexOf('\n', at - 1);
    return { ok: false, message: `${line}:${column}: invalid UTF-8 (save the file as UTF-8)` };
  }
}
