import { TOKENS, tokenId } from '#shared/env/token-vocabulary.ts';
import type { PyValue } from '#shared/values/py-value.ts';

/**
 * The expression operators bottom-up enumeration composes, with Python's precedence (for the
 * parentheses they need) and the value kinds each accepts. Kinds come from the values a
 * subexpression produced on the tests, so "typed" here means typed by observation: `len(x)` is
 * only tried on an `x` that was a string or a sequence on every test.
 */

export type ValueKind = 'int' | 'float' | 'bool' | 'str' | 'seq' | 'set' | 'none' | 'other';

/** One observed value vector's kind: the same on every test, else 'other'. `num` below accepts int and float. */
export function kindOf(values: readonly PyValue[]): ValueKind {
  let kind: ValueKind | undefined;
  for (const v of values) {
    const k: ValueKind =
      v.type === 'list' || v.type === 'tuple' ? 'seq' : v.type === 'int' || v.type === 'float' || v.type === 'bool' || v.type === 'str' || v.type === 'set' || v.type === 'none' ? v.type : 'other';
    if (kind === undefined) kind = k;
    else if (kind !== k) return (kind === 'int' && k === 'float') || (kind === 'float' && k === 'int') ? 'float' : 'other';
  }
  return kind ?? 'other';
}

/** Python precedence levels, lowest first: the parentheses an operand needs follow from them. */
export const PREC = { or: 1, and: 2, not: 3, compare: 4, add: 6, mul: 7, unary: 8, pow: 9, atom: 10 } as const;

const LEVEL_OF: Record<string, number> = {
  or: PREC.or, and: PREC.and, '==': PREC.compare, '!=': PREC.compare, '<': PREC.compare, '<=': PREC.compare, '>': PREC.compare, '>=': PREC.compare, in: PREC.compare,
  '+': PREC.add, '-': PREC.add, '*': PREC.mul, '/': PREC.mul, '//': PREC.mul, '%': PREC.mul, '**': PREC.pow,
};

/**
 * The precedence of an expression written as tokens: that of its loosest operator outside
 * brackets (a leading `not` or `-` counts as one), so an operator built on it knows the
 * parentheses it needs.
 */
export function precedenceOf(tokens: readonly number[]): number {
  let level: number = PREC.atom;
  let depth = 0;
  let expectOperand = true;
  let previous = '';
  for (const id of tokens) {
    const name = TOKENS[id]!.name;
    const opens = name.endsWith('(') || name === '[';
    if (depth > 0 || opens) {
      depth += opens ? 1 : name === ')' || name === ']' ? -1 : 0;
      expectOperand = false;
    } else if (expectOperand) {
      // A prefix binds tighter than `**` on its left: `2 ** -x` is a power.
      if ((name === '-' || name === '-1') && previous !== '**') level = Math.min(level, PREC.unary);
      if (name === 'not') level = Math.min(level, PREC.not);
      expectOperand = name === '-' || name === 'not';
    } else if (name in LEVEL_OF) {
      level = Math.min(level, LEVEL_OF[name]!);
      expectOperand = true;
    }
    previous = name;
  }
  return level;
}

export interface Expr {
  readonly tokens: readonly number[];
  readonly prec: number;
  readonly kind: ValueKind;
  /** The values on the tests (one per test), for typing and for the operators' guards. */
  readonly values: readonly PyValue[];
  /** Creation order: commutative operators only pair a with b when a.id <= b.id. */
  readonly id: number;
}

const t = (name: string) => tokenId(name);
const LP = t('(');
const RP = t(')');
/** The operand's tokens, in parentheses when its precedence is below `min`. */
export const wrap = (e: Expr, min: number): number[] => (e.prec >= min ? [...e.tokens] : [LP, ...e.tokens, RP]);

const num = (k: ValueKind) => k === 'int' || k === 'float';
const sized = (k: ValueKind) => k === 'str' || k === 'seq' || k === 'set';
const indexable = (k: ValueKind) => k === 'str' || k === 'seq';
const listOf = (e: Expr, pred: (v: PyValue) => boolean) =>
  e.kind === 'seq' && e.values.every((v) => 'items' in v && v.items.every(pred));
const numItems = (e: Expr) => listOf(e, (v) => v.type === 'int' || v.type === 'float');
const nonEmpty = (e: Expr) => e.values.every((v) => ('items' in v ? v.items.length > 0 : v.type === 'str' ? v.value.length > 0 : true));
const smallInt = (e: Expr) => e.kind === 'int' && e.values.every((v) => v.type === 'int' && v.value >= -3n && v.value <= 10n);

export interface UnaryOp {
  readonly name: string;
  readonly accepts: (x: Expr) => boolean;
  readonly build: (x: Expr) => { tokens: number[]; prec: number };
}
export interface BinaryOp {
  readonly name: string;
  /** a op b and b op a are always equal: only a.id <= b.id is tried. */
  readonly commutative: boolean;
  readonly accepts: (a: Expr, b: Expr) => boolean;
  readonly build: (a: Expr, b: Expr) => { tokens: number[]; prec: number };
}

const call = (fn: string, ...args: Expr[]) => {
  const tokens = [t(fn)];
  args.forEach((a, i) => tokens.push(...(i ? [t(',')] : []), ...a.tokens));
  tokens.push(RP);
  return { tokens, prec: PREC.atom };
};
const callOf = (fn: string, accepts: (x: Expr) => boolean): UnaryOp => ({ name: fn, accepts, build: (x) => call(fn, x) });
const suffix = (name: string, accepts: (x: Expr) => boolean, tail: string[]): UnaryOp => ({
  name,
  accepts,
  build: (x) => ({ tokens: [...wrap(x, PREC.atom), ...tail.map(t)], prec: PREC.atom }),
});

export const UNARY_OPS: readonly UnaryOp[] = [
  { name: 'neg', accepts: (x) => num(x.kind), build: (x) => ({ tokens: [t('-'), ...wrap(x, PREC.unary)], prec: PREC.unary }) },
  { name: 'not', accepts: () => true, build: (x) => ({ tokens: [t('not'), ...wrap(x, PREC.not)], prec: PREC.not }) },
  callOf('abs(', (x) => num(x.kind)),
  callOf('len(', (x) => sized(x.kind)),
  callOf('sum(', numItems),
  callOf('min(', (x) => sized(x.kind) && nonEmpty(x)),
  callOf('max(', (x) => sized(x.kind) && nonEmpty(x)),
  callOf('sorted(', (x) => sized(x.kind)),
  callOf('int(', (x) => x.kind === 'float' || x.kind === 'str' || x.kind === 'bool'),
  callOf('str(', (x) => x.kind !== 'str'),
  callOf('bool(', (x) => x.kind !== 'bool'),
  callOf('list(', (x) => x.kind === 'str' || x.kind === 'set'),
  callOf('set(', (x) => indexable(x.kind)),
  callOf('any(', (x) => x.kind === 'seq'),
  callOf('all(', (x) => x.kind === 'seq'),
  callOf('round(', (x) => x.kind === 'float'),
  callOf('float(', (x) => x.kind === 'int' || x.kind === 'str'),
  { name: 'list(reversed(', accepts: (x) => indexable(x.kind), build: (x) => ({ tokens: [t('list('), t('reversed('), ...x.tokens, RP, RP], prec: PREC.atom }) },
  { name: 'list(range(', accepts: smallInt, build: (x) => ({ tokens: [t('list('), t('range('), ...x.tokens, RP, RP], prec: PREC.atom }) },
  suffix('[0]', (x) => indexable(x.kind) && nonEmpty(x), ['[', '0', ']']),
  suffix('[-1]', (x) => indexable(x.kind) && nonEmpty(x), ['[', '-1', ']']),
  suffix('[1:]', (x) => indexable(x.kind), ['[', '1', ':', ']']),
  suffix('[:-1]', (x) => indexable(x.kind), ['[', ':', '-1', ']']),
  suffix('[::-1]', (x) => indexable(x.kind), ['[', ':', ':', '-1', ']']),
  suffix('.lower()', (x) => x.kind === 'str', ['.lower()']),
  suffix('.upper()', (x) => x.kind === 'str', ['.upper()']),
  suffix('.split()', (x) => x.kind === 'str', ['.split()']),
  suffix('.strip()', (x) => x.kind === 'str', ['.strip()']),
];

/** `a op b` with left-associative parentheses: the right operand needs a strictly higher level. */
const infix = (op: string, prec: number, commutative: boolean, accepts: (a: Expr, b: Expr) => boolean): BinaryOp => ({
  name: op,
  commutative,
  accepts,
  build: (a, b) => ({ tokens: [...wrap(a, prec), t(op), ...wrap(b, prec + 1)], prec }),
});
/** Comparisons chain in Python (`a < b < c`), so both operands sit above the comparison level. */
const compare = (op: string, commutative: boolean, accepts: (a: Expr, b: Expr) => boolean): BinaryOp => ({
  name: op,
  commutative,
  accepts,
  build: (a, b) => ({ tokens: [...wrap(a, PREC.compare + 1), t(op), ...wrap(b, PREC.compare + 1)], prec: PREC.compare }),
});
const bothNum = (a: Expr, b: Expr) => num(a.kind) && num(b.kind);
const sameKind = (a: Expr, b: Expr) => a.kind === b.kind || bothNum(a, b);
const ordered = (a: Expr, b: Expr) => sameKind(a, b) && (num(a.kind) || a.kind === 'str' || a.kind === 'seq');
const method = (m: string, accepts: (a: Expr, b: Expr) => boolean): BinaryOp => ({
  name: m,
  commutative: false,
  accepts,
  build: (a, b) => ({ tokens: [...wrap(a, PREC.atom), t(m), ...b.tokens, RP], prec: PREC.atom }),
});
const subscript = (name: string, shape: (b: Expr) => number[]): BinaryOp => ({
  name,
  commutative: false,
  accepts: (a, b) => indexable(a.kind) && b.kind === 'int',
  build: (a, b) => ({ tokens: [...wrap(a, PREC.atom), t('['), ...shape(b), t(']')], prec: PREC.atom }),
});

/**
 * Binary operators. `>` and `>=` are left out: `a > b` is `b < a`, which enumeration tries anyway
 * (symmetry broken by construction, like `a + b` but not `b + a` for numbers).
 */
export const BINARY_OPS: readonly BinaryOp[] = [
  infix('+', PREC.add, true, bothNum),
  { ...infix('+', PREC.add, false, (a, b) => a.kind === b.kind && (a.kind === 'str' || a.kind === 'seq')), name: '+seq' },
  infix('-', PREC.add, false, bothNum),
  infix('*', PREC.mul, true, bothNum),
  { ...infix('*', PREC.mul, false, (a, b) => (a.kind === 'str' || a.kind === 'seq') && smallInt(b)), name: '*seq' },
  infix('/', PREC.mul, false, bothNum),
  infix('//', PREC.mul, false, bothNum),
  infix('%', PREC.mul, false, bothNum),
  {
    name: '**',
    commutative: false,
    accepts: (a, b) => num(a.kind) && smallInt(b),
    // Right-associative: the base needs an atom (`(-x) ** 2`), the exponent may be unary (`2 ** -1`).
    build: (a, b) => ({ tokens: [...wrap(a, PREC.atom), t('**'), ...wrap(b, PREC.unary)], prec: PREC.pow }),
  },
  compare('==', true, sameKind),
  compare('!=', true, sameKind),
  compare('<', false, ordered),
  compare('<=', false, ordered),
  compare('in', false, (a, b) => (b.kind === 'str' && a.kind === 'str') || b.kind === 'seq' || b.kind === 'set'),
  infix('and', PREC.and, false, () => true),
  infix('or', PREC.or, false, () => true),
  { name: 'min2', commutative: true, accepts: ordered, build: (a, b) => call('min(', a, b) },
  { name: 'max2', commutative: true, accepts: ordered, build: (a, b) => call('max(', a, b) },
  { name: 'round2', commutative: false, accepts: (a, b) => num(a.kind) && smallInt(b), build: (a, b) => call('round(', a, b) },
  subscript('[i]', (b) => [...b.tokens]),
  subscript('[i:]', (b) => [...b.tokens, t(':')]),
  subscript('[:i]', (b) => [t(':'), ...b.tokens]),
  method('.count(', (a, b) => (a.kind === 'str' && b.kind === 'str') || a.kind === 'seq'),
  method('.index(', (a, b) => (a.kind === 'str' && b.kind === 'str') || a.kind === 'seq'),
  method('.join(', (a, b) => a.kind === 'str' && listOf(b, (v) => v.type === 'str')),
];
