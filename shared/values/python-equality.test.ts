import { describe, expect, it } from 'vitest';
import { decodeTagged } from './tagged-json.ts';
import { EXACT, pyEquals } from './python-equality.ts';

const eq = (expected: unknown, actual: unknown, tol = undefined as typeof EXACT | undefined) =>
  pyEquals(decodeTagged(expected), decodeTagged(actual), tol);

describe('pyEquals follows Python ==', () => {
  it('treats int, float and bool of the same value as equal', () => {
    expect(eq(1, { $float: '1.0' })).toBe(true);
    expect(eq(1, true)).toBe(true);
    expect(eq(0, false)).toBe(true);
    expect(eq(2, { $float: '2.5' })).toBe(false);
  });

  it('compares big ints exactly, also against floats', () => {
    expect(eq({ $int: '9007199254740993' }, { $int: '9007199254740993' })).toBe(true);
    expect(eq({ $int: '9007199254740993' }, { $int: '9007199254740992' })).toBe(false);
    expect(eq({ $int: '9007199254740993' }, { $float: '9007199254740992.0' }, EXACT)).toBe(false);
  });

  it('accepts float noise within the default tolerance and nothing coarser', () => {
    expect(eq({ $float: '0.3' }, 0.1 + 0.2)).toBe(true);
    expect(eq({ $float: '0.3' }, 0.3001)).toBe(false);
    expect(eq({ $float: '0.3' }, 0.1 + 0.2, EXACT)).toBe(false);
  });

  it('lets NaN equal only NaN', () => {
    expect(eq({ $float: 'nan' }, { $float: 'nan' })).toBe(true);
    expect(eq({ $float: 'nan' }, 0)).toBe(false);
    expect(eq({ $float: 'inf' }, { $float: 'inf' })).toBe(true);
    expect(eq({ $float: 'inf' }, { $float: '-inf' })).toBe(false);
  });

  it('tells lists from tuples', () => {
    expect(eq([1, 2], { $tuple: [1, 2] })).toBe(false);
    expect(eq({ $tuple: [1, 2] }, { $tuple: [1, { $float: '2.0' }] })).toBe(true);
  });

  it('compares sets and dicts without regard to order', () => {
    expect(eq({ $set: [1, 2, 3] }, { $set: [3, 1, 2] })).toBe(true);
    expect(eq({ $set: [1, 2] }, { $set: [1, 2, 3] })).toBe(false);
    expect(eq({ $set: [1] }, { $set: [{ $float: '1.0' }] })).toBe(true);
    expect(eq({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(eq({ $dict: [[1, 'x'], [2, 'y']] }, { $dict: [[2, 'y'], [1, 'x']] })).toBe(true);
    expect(eq({ $dict: [[1, 'x']] }, { $dict: [['1', 'x']] })).toBe(false);
  });

  it('compares complex numbers with reals', () => {
    expect(eq({ $complex: [2, 0] }, 2)).toBe(true);
    expect(eq({ $complex: [2, 1] }, 2)).toBe(false);
  });

  it('never equates values of unrelated types', () => {
    expect(eq(null, 0)).toBe(false);
    expect(eq('1', 1)).toBe(false);
    expect(eq([], { $set: [] })).toBe(false);
  });
});
