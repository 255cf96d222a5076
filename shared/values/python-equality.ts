import type { PyValue } from './py-value.ts';

/**
 * Float tolerance in the sense of Python's math.isclose. A problem may set its own; the default
 * accepts the last-digit noise of float arithmetic (0.1 + 0.2 vs 0.3) and nothing coarser.
 */
export interface FloatTolerance {
  readonly relTol: number;
  readonly absTol: number;
}

export const DEFAULT_TOLERANCE: FloatTolerance = { relTol: 1e-9, absTol: 0 };
export const EXACT: FloatTolerance = { relTol: 0, absTol: 0 };

type Real = { int: bigint } | { float: number };

function asReal(v: PyValue): Real | undefined {
  if (v.type === 'int') return { int: v.value };
  if (v.type === 'bool') return { int: v.value ? 1n : 0n };
  if (v.type === 'float') return { float: v.value };
  return undefined;
}

function floatsClose(a: number, b: number, tol: FloatTolerance): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const diff = Math.abs(a - b);
  return diff <= tol.absTol || diff <= tol.relTol * Math.max(Math.abs(a), Math.abs(b));
}

function realsEqual(a: Real, b: Real, tol: FloatTolerance): boolean {
  if ('int' in a && 'int' in b) return a.int === b.int;
  if ('float' in a && 'float' in b) return floatsClose(a.float, b.float, tol);
  const i = 'int' in a ? a.int : (b as { int: bigint }).int;
  const f = 'float' in a ? a.float : (b as { float: number }).float;
  // Python compares int and float exactly (2**53 + 1 != 2.0**53), then tolerance may widen it.
  if (Number.isInteger(f) && BigInt(f) === i) return true;
  if (tol.relTol === 0 && tol.absTol === 0) return false; // Number(i) may round: only exact counts
  return floatsClose(Number(i), f, tol);
}

function complexParts(v: PyValue): [Real, Real] | undefined {
  if (v.type === 'complex') return [{ float: v.re }, { float: v.im }];
  const real = asReal(v);
  return real ? [real, { int: 0n }] : undefined;
}

/**
 * A key that two values share exactly when Python would put them in the same set slot or dict
 * key (1, 1.0 and True collide; (1, 2) and [1, 2] do not). NaN keys collide with each other here,
 * because the lab's promise is that NaN equals only NaN.
 */
export function hashKey(v: PyValue): string {
  switch (v.type) {
    case 'none':
      return 'N';
    case 'bool':
      return v.value ? 'n1' : 'n0';
    case 'int':
      return `n${v.value}`;
    case 'float':
      if (Number.isInteger(v.value)) return `n${BigInt(v.value)}`;
      return `n${Number.isNaN(v.value) ? 'nan' : String(v.value)}`;
    case 'complex':
      return v.im === 0 ? hashKey({ type: 'float', value: v.re }) : `c${v.re},${v.im}`;
    case 'str':
      return `s${JSON.stringify(v.value)}`;
    case 'bytes':
      return `b${v.hex}`;
    case 'list':
      return `l[${v.items.map(hashKey).join(',')}]`;
    case 'tuple':
      return `t(${v.items.map(hashKey).join(',')})`;
    case 'set':
      return `f{${[...new Set(v.items.map(hashKey))].sort().join(',')}}`;
    case 'dict':
      return `d{${v.entries.map(([k, x]) => `${hashKey(k)}:${hashKey(x)}`).sort().join(',')}}`;
  }
}

function sequencesEqual(a: readonly PyValue[], b: readonly PyValue[], tol: FloatTolerance): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!pyEquals(a[i]!, b[i]!, tol)) return false;
  return true;
}

/**
 * Python's `expected == actual`, with two deliberate differences: floats compare with the given
 * tolerance, and NaN equals NaN (a test that expects NaN passes when NaN comes back).
 */
export function pyEquals(expected: PyValue, actual: PyValue, tol: FloatTolerance = DEFAULT_TOLERANCE): boolean {
  const ra = asReal(expected);
  const rb = asReal(actual);
  if (ra && rb) return realsEqual(ra, rb, tol);
  if (expected.type === 'complex' || actual.type === 'complex') {
    const ca = complexParts(expected);
    const cb = complexParts(actual);
    return !!ca && !!cb && realsEqual(ca[0], cb[0], tol) && realsEqual(ca[1], cb[1], tol);
  }
  switch (expected.type) {
    case 'none':
      return actual.type === 'none';
    case 'str':
      return actual.type === 'str' && actual.value === expected.value;
    case 'bytes':
      return actual.type === 'bytes' && actual.hex === expected.hex;
    case 'list':
    case 'tuple':
      return actual.type === expected.type && sequencesEqual(expected.items, actual.items, tol);
    case 'set': {
      if (actual.type !== 'set') return false;
      const want = new Set(expected.items.map(hashKey));
      const got = new Set(actual.items.map(hashKey));
      if (want.size !== got.size) return false;
      for (const key of want) if (!got.has(key)) return false;
      return true;
    }
    case 'dict': {
      if (actual.type !== 'dict') return false;
      const got = new Map(actual.entries.map(([k, v]) => [hashKey(k), v] as const));
      const want = new Map(expected.entries.map(([k, v]) => [hashKey(k), v] as const));
      if (want.size !== got.size) return false;
      for (const [key, value] of want) {
        const other = got.get(key);
        if (other === undefined || !pyEquals(value, other, tol)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}
