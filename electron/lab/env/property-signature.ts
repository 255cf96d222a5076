import type { Problem } from '#shared/problems/problem.ts';
import { testArguments } from '#shared/problems/test-arguments.ts';
import type { PyValue } from '#shared/values/py-value.ts';
import { decodeTagged } from '#shared/values/tagged-json.ts';

/**
 * Property signatures of a problem's tests (in the manner of BUSTLE and LambdaBeam): boolean
 * properties of each input/output pair (types, signs, parity, lengths, whether the output equals,
 * exceeds or contains an input, equals its length, first or last item, sum, maximum...), aggregated
 * over the tests, plus a compact encoding of the first tests one by one. Two problems with the
 * same docstring words but different behaviour get different signatures, which is what lets a
 * network trained on generated problems tell them apart. docs/grammar.md lists the layout.
 */

export const SIGNATURE_ARGS = 3;
const PER_TEST = 3;
const PER_TEST_DIMS = 12;

type Num = number | undefined;
const num = (v: PyValue): Num => (v.type === 'int' ? Number(v.value) : v.type === 'float' ? v.value : v.type === 'bool' ? Number(v.value) : undefined);
const isNum = (v: PyValue) => v.type === 'int' || v.type === 'float';
const items = (v: PyValue): readonly PyValue[] | undefined => ('items' in v ? v.items : undefined);
const text = (v: PyValue) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x));
const eq = (a: PyValue | undefined, b: PyValue | undefined) => a !== undefined && b !== undefined && (text(a) === text(b) || (num(a) !== undefined && num(a) === num(b) && isNum(a) && isNum(b)));
const length = (v: PyValue): Num => (v.type === 'str' ? v.value.length : items(v)?.length);
const TYPES = ['none', 'bool', 'int', 'float', 'str', 'seq', 'other'] as const;
const typeIndex = (v: PyValue) => {
  const t = v.type === 'list' || v.type === 'tuple' ? 'seq' : v.type;
  const i = TYPES.indexOf(t as (typeof TYPES)[number]);
  return i === -1 ? TYPES.length - 1 : i;
};

/** A property of one test: true, false, or undefined where it does not apply. */
type Property = (o: PyValue, args: readonly PyValue[]) => boolean | undefined;
const onNum = (f: (o: number) => boolean): Property => (o) => (isNum(o) ? f(num(o)!) : undefined);
const onSized = (f: (n: number) => boolean): Property => (o) => (length(o) === undefined ? undefined : f(length(o)!));

const OUTPUT_PROPERTIES: readonly Property[] = [
  ...TYPES.map((_, i): Property => (o) => typeIndex(o) === i),
  onNum((x) => x < 0),
  onNum((x) => x === 0),
  onNum((x) => x > 0),
  onNum((x) => Number.isInteger(x) && x % 2 === 0),
  onNum((x) => Math.abs(x) <= 1),
  onNum((x) => Math.abs(x) >= 100),
  onNum((x) => !Number.isInteger(x)),
  (o) => (o.type === 'bool' ? o.value : undefined),
  onSized((n) => n === 0),
  onSized((n) => n === 1),
  onSized((n) => n >= 5),
  (o) => (o.type === 'str' ? o.value === o.value.toLowerCase() : undefined),
  (o) => (o.type === 'str' ? o.value === o.value.toUpperCase() : undefined),
  (o) => { const xs = items(o); return xs ? xs.every((x, i) => i === 0 || (num(xs[i - 1]!) ?? 0) <= (num(x) ?? 0)) : undefined; },
];

const sumOf = (v: PyValue): Num => { const xs = items(v); return xs && xs.every(isNum) ? xs.reduce((s, x) => s + num(x)!, 0) : undefined; };
const extreme = (v: PyValue, pick: (a: number, b: number) => number): Num => { const xs = items(v); return xs && xs.length && xs.every(isNum) ? xs.map((x) => num(x)!).reduce(pick) : undefined; };
const numEq = (a: Num, o: PyValue) => (a === undefined || !isNum(o) ? undefined : a === num(o));
const seqOut = (o: PyValue, f: (xs: readonly PyValue[]) => readonly PyValue[]) => (a: PyValue) => { const xs = items(a); const os = items(o); return xs && os ? os.length === xs.length && f(xs).every((x, i) => eq(x, os[i])) : undefined; };

/** Relations between the output and one argument. */
const RELATIONS: readonly ((o: PyValue, a: PyValue) => boolean | undefined)[] = [
  (o, a) => eq(o, a),
  (o, a) => (isNum(o) && isNum(a) ? num(o)! > num(a)! : undefined),
  (o, a) => (isNum(o) && isNum(a) ? num(o)! < num(a)! : undefined),
  (o, a) => (isNum(o) && isNum(a) ? num(o) === -num(a)! : undefined),
  (o, a) => (isNum(o) && isNum(a) ? num(o) === Math.abs(num(a)!) : undefined),
  (o, a) => (isNum(o) && isNum(a) && num(a) !== 0 ? Number.isInteger(num(o)! / num(a)!) : undefined),
  (o, a) => (length(a) === undefined ? undefined : numEq(length(a), o) ?? false),
  (o, a) => { const xs = items(a) ?? (a.type === 'str' ? [...a.value].map((c) => ({ type: 'str', value: c }) as PyValue) : undefined); return xs ? xs.some((x) => eq(x, o)) || (a.type === 'str' && o.type === 'str' && a.value.includes(o.value)) : undefined; },
  (o, a) => { const os = items(o); return os ? os.some((x) => eq(x, a)) : o.type === 'str' && a.type === 'str' ? o.value.includes(a.value) : undefined; },
  (o, a) => { const xs = items(a); return xs ? (xs.length ? eq(xs[0], o) : false) : a.type === 'str' && o.type === 'str' ? a.value.length > 0 && a.value[0] === o.value : undefined; },
  (o, a) => { const xs = items(a); return xs ? (xs.length ? eq(xs[xs.length - 1], o) : false) : a.type === 'str' && o.type === 'str' ? a.value.length > 0 && a.value[a.value.length - 1] === o.value : undefined; },
  (o, a) => numEq(sumOf(a), o),
  (o, a) => numEq(extreme(a, Math.max), o),
  (o, a) => numEq(extreme(a, Math.min), o),
  (o, a) => seqOut(o, (xs) => [...xs].sort((x, y) => (num(x) ?? 0) - (num(y) ?? 0)))(a),
  (o, a) => seqOut(o, (xs) => [...xs].reverse())(a) ?? (o.type === 'str' && a.type === 'str' ? o.value === [...a.value].reverse().join('') : undefined),
  (o, a) => (o.type === 'str' && a.type === 'str' ? o.value.toLowerCase() === a.value.toLowerCase() : undefined),
  (o, a) => (length(o) !== undefined && length(a) !== undefined ? length(o)! < length(a)! : undefined),
  (o, a) => (length(o) !== undefined && length(a) !== undefined ? length(o)! > length(a)! : undefined),
];

/** Relations between the output and the first two arguments together. */
const PAIR_RELATIONS: readonly ((o: number, a: number, b: number) => boolean)[] = [
  (o, a, b) => o === a + b,
  (o, a, b) => o === a - b || o === b - a,
  (o, a, b) => o === a * b,
  (o, a, b) => o === Math.max(a, b),
  (o, a, b) => o === Math.min(a, b),
  (o, a, b) => o === Math.abs(a - b),
  (o, a, b) => b !== 0 && (o === Math.floor(a / b) || o === a / b),
  (o, a, b) => b !== 0 && o === a - b * Math.floor(a / b),
];

/** Argument-only properties (types, signs, sizes), per argument slot. */
const ARG_PROPERTIES: readonly Property[] = [
  ...TYPES.map((_, i): Property => (a) => typeIndex(a) === i),
  onNum((x) => x < 0),
  onNum((x) => x === 0),
  onSized((n) => n === 0),
];

const RELATION_DIMS = RELATIONS.length * SIGNATURE_ARGS;
/** Properties aggregated over the tests; each takes two dims (mean of +1/-1, and "true on every test"). */
const AGGREGATED = OUTPUT_PROPERTIES.length + RELATION_DIMS + PAIR_RELATIONS.length + ARG_PROPERTIES.length * SIGNATURE_ARGS;
export const SIGNATURE_DIMS = 2 * AGGREGATED + PER_TEST * PER_TEST_DIMS + 4;

/** The property signature of a problem's tests (SIGNATURE_DIMS floats in [-1, 1]). */
export function propertySignature(problem: Pick<Problem, 'test_cases'>, parameterCount: number): Float32Array {
  const out = new Float32Array(SIGNATURE_DIMS);
  const sums = new Float32Array(AGGREGATED);
  const alls = new Uint8Array(AGGREGATED).fill(1);
  const seen = new Uint8Array(AGGREGATED);
  const record = (k: number, value: boolean | undefined) => {
    if (value === undefined) return;
    sums[k]! += value ? 1 : -1;
    seen[k] = 1;
    if (!value) alls[k] = 0;
  };
  const tests = problem.test_cases;
  tests.forEach(([input, expected], t) => {
    let args: PyValue[];
    let o: PyValue;
    try {
      args = testArguments(input, parameterCount).map((a) => decodeTagged(a));
      o = decodeTagged(expected);
    } catch {
      return;
    }
    let k = 0;
    for (const p of OUTPUT_PROPERTIES) record(k++, p(o, args));
    for (let i = 0; i < SIGNATURE_ARGS; i++) for (const r of RELATIONS) record(k++, args[i] ? r(o, args[i]!) : undefined);
    const [a, b] = [args[0], args[1]].map((v) => (v && isNum(v) ? num(v) : undefined));
    for (const r of PAIR_RELATIONS) record(k++, isNum(o) && a !== undefined && b !== undefined ? r(num(o)!, a, b) : undefined);
    for (let i = 0; i < SIGNATURE_ARGS; i++) for (const p of ARG_PROPERTIES) record(k++, args[i] ? p(args[i]!, args) : undefined);
    if (t < PER_TEST) {
      const base = 2 * AGGREGATED + t * PER_TEST_DIMS;
      out[base + typeIndex(o)] = 1;
      const x = num(o);
      if (x !== undefined && isNum(o)) out[base + 7] = Math.sign(x);
      if (o.type === 'bool') out[base + 8] = o.value ? 1 : -1;
      out[base + 9] = length(o) === undefined ? 0 : Math.min(length(o)! / 8, 1);
      out[base + 10] = args.some((arg) => eq(arg, o)) ? 1 : 0;
      out[base + 11] = x !== undefined && args[0] && isNum(args[0]) ? Math.sign(x - num(args[0])!) : 0;
    }
  });
  const n = Math.max(tests.length, 1);
  for (let k = 0; k < AGGREGATED; k++) {
    out[2 * k] = sums[k]! / n;
    out[2 * k + 1] = seen[k] && alls[k] ? 1 : 0;
  }
  const tail = 2 * AGGREGATED + PER_TEST * PER_TEST_DIMS;
  const outputs = tests.map(([, e]) => JSON.stringify(e));
  out[tail] = new Set(outputs).size / n;
  out[tail + 1] = Math.min(tests.length / 8, 1);
  out[tail + 2] = Math.min(parameterCount, 5) / 5;
  out[tail + 3] = 1; // bias: the signature block is present
  return out;
}
