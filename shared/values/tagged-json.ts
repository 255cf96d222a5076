import { floatRepr, type PyValue } from './py-value.ts';

/**
 * Tagged JSON: plain JSON for what JSON can carry, one-key `$tag` objects for what it cannot
 * (floats that look like ints, NaN/inf, big ints, tuples, sets, dicts with non-string keys, complex,
 * bytes). The format is shared with the Python harness (resources/python) and documented in
 * ../shared/adversarial/README.md; `$bytes` (hex) is our extension.
 *
 * Canonical encoding (what encodeTagged writes and the store keeps) has one property the decoder
 * relies on: a plain JSON number is an int exactly when it is an integer, because integral floats
 * are always written as `{"$float": "2.0"}` and ints beyond 2^53 as `{"$int": "..."}`.
 */
export type TaggedJson =
  | null
  | boolean
  | number
  | string
  | TaggedJson[]
  | { [key: string]: TaggedJson };

/** Values nested deeper than this are refused: deeper data is never a sensible test case. */
export const MAX_VALUE_DEPTH = 64;

export class TaggedValueError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path || '<value>'}: ${detail}`);
    this.name = 'TaggedValueError';
  }
}

const FLOAT_TEXT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf|infinity)$/i;
const INT_TEXT = /^[+-]?\d+$/;
const HEX_TEXT = /^(?:[0-9a-f]{2})*$/;
const TAGS = new Set(['$float', '$int', '$tuple', '$set', '$dict', '$complex', '$bytes']);

function parseFloatText(text: string, path: string): number {
  if (!FLOAT_TEXT.test(text.trim())) throw new TaggedValueError(path, `"${text}" is not a float`);
  const t = text.trim().toLowerCase().replace(/^\+/, '');
  if (t === 'nan' || t === '-nan') return NaN;
  if (t === 'inf' || t === 'infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  return Number(t);
}

function decodeNumberPart(raw: unknown, path: string): number {
  if (typeof raw === 'number') return raw;
  if (isTagObject(raw) && '$float' in raw && typeof raw.$float === 'string') {
    return parseFloatText(raw.$float, `${path}.$float`);
  }
  throw new TaggedValueError(path, 'expected a number or {"$float": "..."}');
}

function isTagObject(raw: unknown): raw is Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return false;
  const keys = Object.keys(raw);
  return keys.length === 1 && keys[0]!.startsWith('$');
}

function childPath(path: string, key: number | string): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

/** Decodes tagged JSON (already parsed) into a PyValue; errors name the JSON path. */
export function decodeTagged(raw: unknown, path = '', depth = 0): PyValue {
  if (depth > MAX_VALUE_DEPTH) {
    throw new TaggedValueError(path, `value nested deeper than ${MAX_VALUE_DEPTH} levels`);
  }
  if (raw === null) return { type: 'none' };
  if (typeof raw === 'boolean') return { type: 'bool', value: raw };
  if (typeof raw === 'string') return { type: 'str', value: raw };
  if (typeof raw === 'number') {
    if (Number.isInteger(raw)) {
      if (!Number.isSafeInteger(raw)) {
        throw new TaggedValueError(path, `integer ${raw} is beyond 2^53: write it as {"$int": "..."}`);
      }
      return { type: 'int', value: BigInt(raw) };
    }
    return { type: 'float', value: raw };
  }
  const items = (list: unknown, at: string): PyValue[] => {
    if (!Array.isArray(list)) throw new TaggedValueError(at, 'expected an array');
    return list.map((item, i) => decodeTagged(item, childPath(at, i), depth + 1));
  };
  if (Array.isArray(raw)) return { type: 'list', items: items(raw, path) };
  if (typeof raw !== 'object') throw new TaggedValueError(path, `unsupported JSON value ${String(raw)}`);

  const record = raw as Record<string, unknown>;
  if (isTagObject(record)) {
    const [tag] = Object.keys(record) as [string];
    const body = record[tag];
    const at = childPath(path, tag);
    switch (tag) {
      case '$float':
        if (typeof body !== 'string' && typeof body !== 'number') {
          throw new TaggedValueError(at, 'expected a string such as "0.1", "nan" or "-inf"');
        }
        return { type: 'float', value: typeof body === 'number' ? body : parseFloatText(body, at) };
      case '$int':
        if (typeof body !== 'string' || !INT_TEXT.test(body)) {
          throw new TaggedValueError(at, 'expected a string of decimal digits');
        }
        return { type: 'int', value: BigInt(body) };
      case '$tuple':
        return { type: 'tuple', items: items(body, at) };
      case '$set':
        return { type: 'set', items: items(body, at) };
      case '$dict': {
        if (!Array.isArray(body)) throw new TaggedValueError(at, 'expected an array of [key, value] pairs');
        const entries = body.map((pair, i): [PyValue, PyValue] => {
          const pairPath = childPath(at, i);
          if (!Array.isArray(pair) || pair.length !== 2) {
            throw new TaggedValueError(pairPath, 'expected a [key, value] pair');
          }
          return [
            decodeTagged(pair[0], childPath(pairPath, 0), depth + 2),
            decodeTagged(pair[1], childPath(pairPath, 1), depth + 2),
          ];
        });
        return { type: 'dict', entries };
      }
      case '$complex': {
        if (!Array.isArray(body) || body.length !== 2) {
          throw new TaggedValueError(at, 'expected [real, imaginary]');
        }
        return {
          type: 'complex',
          re: decodeNumberPart(body[0], childPath(at, 0)),
          im: decodeNumberPart(body[1], childPath(at, 1)),
        };
      }
      case '$bytes':
        if (typeof body !== 'string' || !HEX_TEXT.test(body)) {
          throw new TaggedValueError(at, 'expected lower-case hex digits');
        }
        return { type: 'bytes', hex: body };
      default:
        throw new TaggedValueError(path, `unknown tag "${tag}" (known: ${[...TAGS].join(', ')})`);
    }
  }
  const entries = Object.entries(record).map(([key, value]): [PyValue, PyValue] => [
    { type: 'str', value: key },
    decodeTagged(value, childPath(path, key), depth + 1),
  ]);
  return { type: 'dict', entries };
}

function encodeFloat(x: number): TaggedJson {
  // A plain JSON number is read back as an int when it is integral, so integral floats are tagged.
  return Number.isFinite(x) && !Number.isInteger(x) ? x : { $float: floatRepr(x) };
}

/** The canonical tagged JSON of a value (see the module comment). */
export function encodeTagged(value: PyValue): TaggedJson {
  switch (value.type) {
    case 'none':
      return null;
    case 'bool':
      return value.value;
    case 'int': {
      const n = Number(value.value);
      return Number.isSafeInteger(n) ? n : { $int: value.value.toString() };
    }
    case 'float':
      return encodeFloat(value.value);
    case 'complex':
      return { $complex: [encodeFloat(value.re), encodeFloat(value.im)] };
    case 'str':
      return value.value;
    case 'bytes':
      return { $bytes: value.hex };
    case 'list':
      return value.items.map(encodeTagged);
    case 'tuple':
      return { $tuple: value.items.map(encodeTagged) };
    case 'set':
      return { $set: value.items.map(encodeTagged) };
    case 'dict': {
      const allStr = value.entries.every(([k]) => k.type === 'str');
      const looksTagged = value.entries.length === 1 && (value.entries[0]![0] as { value: string }).value?.startsWith?.('$');
      if (allStr && !looksTagged) {
        const keys = new Set(value.entries.map(([k]) => (k as { value: string }).value));
        if (keys.size === value.entries.length) {
          const out: { [key: string]: TaggedJson } = {};
          for (const [k, v] of value.entries) out[(k as { value: string }).value] = encodeTagged(v);
          return out;
        }
      }
      return { $dict: value.entries.map(([k, v]) => [encodeTagged(k), encodeTagged(v)]) };
    }
  }
}

/** Re-encodes tagged JSON canonically (validating it on the way). */
export function canonicalTagged(raw: unknown, path = ''): TaggedJson {
  return encodeTagged(decodeTagged(raw, path));
}
