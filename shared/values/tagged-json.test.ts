import { describe, expect, it } from 'vitest';
import { py, pyRepr, type PyValue } from './py-value.ts';
import { canonicalTagged, decodeTagged, encodeTagged, MAX_VALUE_DEPTH, TaggedValueError } from './tagged-json.ts';

const roundTrip = (value: PyValue) => decodeTagged(JSON.parse(JSON.stringify(encodeTagged(value))));

describe('tagged JSON', () => {
  it.each<[string, PyValue, unknown]>([
    ['an int', py.int(42), 42],
    ['an int beyond 2^53', py.int(2n ** 70n), { $int: '1180591620717411303424' }],
    ['a negative big int', py.int(-(2n ** 64n)), { $int: '-18446744073709551616' }],
    ['a non-integral float', py.float(0.1), 0.1],
    ['an integral float', py.float(2), { $float: '2.0' }],
    ['a large integral float', py.float(1e16), { $float: '1e+16' }],
    ['negative zero', py.float(-0), { $float: '-0.0' }],
    ['NaN', py.float(NaN), { $float: 'nan' }],
    ['infinity', py.float(Infinity), { $float: 'inf' }],
    ['minus infinity', py.float(-Infinity), { $float: '-inf' }],
    ['a bool', py.bool(true), true],
    ['None', py.none, null],
    ['a string', py.str('héllo\n'), 'héllo\n'],
    ['a tuple', py.tuple(py.int(1), py.str('a')), { $tuple: [1, 'a'] }],
    ['an empty tuple', py.tuple(), { $tuple: [] }],
    ['a set', py.set(py.int(1), py.int(2)), { $set: [1, 2] }],
    ['a dict with string keys', py.dict([py.str('a'), py.int(1)]), { a: 1 }],
    ['a dict with int keys', py.dict([py.int(1), py.str('x')]), { $dict: [[1, 'x']] }],
    ['a dict with tuple keys', py.dict([py.tuple(py.int(1), py.int(2)), py.none]), { $dict: [[{ $tuple: [1, 2] }, null]] }],
    ['a dict whose one key looks like a tag', py.dict([py.str('$float'), py.int(1)]), { $dict: [['$float', 1]] }],
    ['a complex', py.complex(1, -2.5), { $complex: [{ $float: '1.0' }, -2.5] }],
    ['bytes', { type: 'bytes', hex: '00ff' }, { $bytes: '00ff' }],
    ['nested lists', py.list(py.list(py.int(1)), py.list()), [[1], []]],
  ])('encodes %s canonically and round-trips it', (_, value, tagged) => {
    expect(encodeTagged(value)).toEqual(tagged);
    expect(roundTrip(value)).toEqual(value);
  });

  it('reads a JSON number with a fraction as a float and an integral one as an int', () => {
    expect(decodeTagged(1.5)).toEqual(py.float(1.5));
    expect(decodeTagged(3)).toEqual(py.int(3));
  });

  it('reads the float spellings Python accepts', () => {
    expect(decodeTagged({ $float: '1e-7' })).toEqual(py.float(1e-7));
    expect(decodeTagged({ $float: 'Infinity' })).toEqual(py.float(Infinity));
    expect(decodeTagged({ $float: '-nan' }).type).toBe('float');
  });

  it('refuses an unsafe plain integer, telling how to write it', () => {
    expect(() => decodeTagged(2 ** 60)).toThrow('beyond 2^53: write it as {"$int": "..."}');
  });

  it('names the JSON path of a bad value', () => {
    const error = (() => {
      try {
        decodeTagged([1, { $tuple: [2, { $float: 'abc' }] }]);
      } catch (e) {
        return e as TaggedValueError;
      }
    })();
    expect(error).toBeInstanceOf(TaggedValueError);
    expect(error?.message).toBe('[1].$tuple[1].$float: "abc" is not a float');
  });

  it('refuses unknown tags', () => {
    expect(() => decodeTagged({ $frozenset: [1] })).toThrow('unknown tag "$frozenset"');
  });

  it(`refuses values nested deeper than ${MAX_VALUE_DEPTH} levels without overflowing the stack`, () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(() => decodeTagged(deep)).toThrow(`nested deeper than ${MAX_VALUE_DEPTH} levels`);
  });

  it('canonicalizes a non-canonical spelling', () => {
    expect(canonicalTagged({ $float: '2.5' })).toBe(2.5);
    expect(canonicalTagged({ $int: '7' })).toBe(7);
  });

  it('renders values as Python writes them', () => {
    expect(pyRepr(decodeTagged([{ $tuple: [1] }, { $float: '2.0' }, { $float: 'nan' }, 'it\'s', { $set: [] }, null, true]))).toBe(
      `[(1,), 2.0, float('nan'), "it's", set(), None, True]`,
    );
    expect(pyRepr(py.float(1e-7))).toBe('1e-07');
    expect(pyRepr(py.float(1e16))).toBe('1e+16');
  });
});
