import { tokenIds } from '#shared/env/token-vocabulary.ts';
import type { PyValue } from '#shared/values/py-value.ts';
import { pyEquals } from '#shared/values/python-equality.ts';
import { PREC, wrap, type Expr } from './expression-operators.ts';

/**
 * The loop programs loop search writes, and what each returns, worked out from the values of its
 * parts. A part is an expression of the loop variable and the inputs whose value at every element
 * of every test is known (the search ran it, loop-search.ts); the loops below only select and
 * count those values, so their outputs follow exactly, and only a loop predicted to pass is run.
 */

/** An expression of the loop variable (written L1) and the inputs, with its value at each element. */
export interface ElementValue extends Expr {
  /** rows[t][i]: its value at the i-th element of test t's iterable. */
  readonly rows: readonly (readonly PyValue[])[];
  /** Search order: 1 per loop variable, parameter and binary operator, 2 per constant and unary operator. */
  readonly weight: number;
  /** The operator that made it ('atom' for the loop variable, parameters and constants). */
  readonly op: string;
  /** Whether it reads the loop variable (the others are constants or inputs, the same at every element). */
  readonly readsLoop: boolean;
}

/** A condition `if <value>` or `if not <value>`, with the elements it holds at per test. */
export interface Condition {
  readonly value: ElementValue;
  readonly negated: boolean;
  /** Indices, per test, of the elements where it holds. */
  readonly holds: readonly (readonly number[])[];
}

const [L0, L1, EQ, PLUS_EQ, LB, RB, NL, INDENT, DEDENT, END, FOR, IN, IF, COLON, RETURN, APPEND, RP, NOT, ZERO] = tokenIds(
  'L0 L1 = += [ ] NEWLINE INDENT DEDENT END for in if : return .append( ) not 0',
) as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];

/** Python's truth value of a test output. */
export function truthy(v: PyValue): boolean {
  switch (v.type) {
    case 'none':
      return false;
    case 'bool':
      return v.value;
    case 'int':
      return v.value !== 0n;
    case 'float':
      return v.value !== 0;
    case 'complex':
      return v.re !== 0 || v.im !== 0;
    case 'str':
      return v.value.length > 0;
    case 'bytes':
      return v.hex.length > 0;
    case 'dict':
      return v.entries.length > 0;
    default:
      return v.items.length > 0;
  }
}

export function condition(value: ElementValue, negated: boolean): Condition {
  return { value, negated, holds: value.rows.map((row) => row.flatMap((v, i) => (truthy(v) !== negated ? [i] : []))) };
}

/**
 * Values a loop may branch on: true/false values of the loop variable (comparisons, membership,
 * `not`) and remainders (`if n % x`). Any other value's truthiness (`if x // k`, `if x - 2`) fits
 * three tests by accident far more often than it states what a task asks.
 */
const isTest = (v: ElementValue) => v.readsLoop && (v.kind === 'bool' || v.op === '%');

const conditionTokens = (c: Condition) => (c.negated ? [NOT, ...wrap(c.value, PREC.not)] : [...c.value.tokens]);
const withLoopVariable = (tokens: readonly number[], variable: number) => tokens.map((x) => (x === L1 ? variable : x));

/** `L0 = []`, `for L1 in <iterable>: L0.append(<value>)`, `return L0`: runs a value at every element. */
export function probeProgram(iterable: readonly number[], value: readonly number[]): number[] {
  return [L0, EQ, LB, RB, NL, FOR, L1, IN, ...iterable, COLON, NL, INDENT, L0, APPEND, ...value, RP, NL, DEDENT, RETURN, L0, NL, END];
}

/** `for L0 in <iterable>: if <condition>: return <exit>`, then `return <otherwise>` (none: the function returns None). */
function earlyReturnProgram(iterable: readonly number[], c: Condition, exit: Expr, otherwise: readonly number[] | null): number[] {
  const loop = [FOR, L0, IN, ...iterable, COLON, NL, INDENT, IF, ...withLoopVariable(conditionTokens(c), L0), COLON, NL, INDENT, RETURN, ...withLoopVariable(exit.tokens, L0), NL];
  return otherwise ? [...loop, DEDENT, DEDENT, RETURN, ...otherwise, NL, END] : [...loop, END];
}

/** `L0 = <start>`, `for L1 in <iterable>: [if <condition>:] L0 <statement>`, `return L0`. */
function accumulateProgram(iterable: readonly number[], c: Condition | null, start: number[], statement: number[]): number[] {
  const body = c ? [IF, ...conditionTokens(c), COLON, NL, INDENT, L0, ...statement, NL, DEDENT] : [L0, ...statement, NL];
  return [L0, EQ, ...start, NL, FOR, L1, IN, ...iterable, COLON, NL, INDENT, ...body, DEDENT, RETURN, L0, NL, END];
}

export interface SketchInput {
  readonly iterable: readonly number[];
  /** The expected output of each `[input, expected]` test. */
  readonly expected: readonly PyValue[];
  /** Every value of the iterable's loop, atoms included. */
  readonly values: readonly ElementValue[];
  /** Only combinations with at least one of these as a part are tried (the others were). */
  readonly fresh: ReadonlySet<ElementValue>;
  /** Values of one-line programs: what an early-return loop returns when it never exits. */
  readonly fallbacks: readonly Expr[];
}

/**
 * An early-return loop that returns the expected output on every test where it exits; a one-line
 * fallback that returns the expected output on the other tests (`tests`) would make it a solution.
 */
export interface OpenFallback {
  readonly tests: readonly number[];
  /** The loop program around a fallback expression. */
  readonly program: (fallback: readonly number[]) => number[];
  /** Its length without the fallback: the shortest open loops are worth a search first. */
  readonly size: number;
  /** A known value that fits those tests but is long (often a special case of them): the last resort. */
  readonly known?: readonly number[];
}

/**
 * Known fallbacks longer than this leave the loop open: a search on the remaining tests tends to
 * find a shorter, more general one (`1 < n` rather than a formula that happens to fit them).
 */
export const SHORT_FALLBACK = 5;

export interface Predictions {
  /** Loop programs predicted to return every expected output, shortest first. */
  readonly programs: number[][];
  /** Early-return loops no known value completes, shortest first. */
  readonly open: OpenFallback[];
}

/** Python's `==` and the same type: a loop returns `False`, not `0`, where `False` is expected. */
const same = (expected: PyValue, actual: PyValue) => expected.type === actual.type && pyEquals(expected, actual);

/**
 * Loop programs that combine the values, predicted from them:
 * - early return: `for x in it: if [not] c: return a` then `return b` (b a one-line value);
 * - collect: `r = []; for x in it: [if [not] c:] r.append(e); return r`;
 * - tally: `r = 0; for x in it: [if [not] c:] r += e; return r` (e an int value; 1 counts).
 */
export function predictedSolutions(s: SketchInput): Predictions {
  const found: number[][] = [];
  const open: OpenFallback[] = [];
  const conditions = s.values.filter(isTest).flatMap((v) => [condition(v, false), condition(v, true)]);
  const fresh = (...parts: (ElementValue | null)[]) => parts.some((p) => p !== null && s.fresh.has(p));
  const n = s.expected.length;

  // Early return. Fallbacks are indexed by the set of tests they get right (a bit mask: problems
  // with more than 30 tests get no early-return loops).
  const byMask = new Map<number, Expr>();
  if (n <= 30) {
    for (const b of s.fallbacks) {
      let mask = 0;
      for (let k = 0; k < n; k++) if (b.values[k] !== undefined && same(s.expected[k]!, b.values[k]!)) mask |= 1 << k;
      const best = byMask.get(mask);
      if (!best || b.tokens.length < best.tokens.length) byMask.set(mask, b);
    }
    for (const c of conditions) {
      const exits = c.holds.map((h) => (h.length > 0 ? h[0]! : -1));
      if (exits.every((e) => e < 0)) continue;
      let need = 0;
      exits.forEach((e, k) => (need |= e < 0 ? 1 << k : 0));
      let otherwise: Expr | undefined;
      for (const [mask, b] of byMask) if ((mask & need) === need && (!otherwise || b.tokens.length < otherwise.tokens.length)) otherwise = b;
      for (const a of s.values) {
        if (!fresh(c.value, a) || !exits.every((e, k) => e < 0 || same(s.expected[k]!, a.rows[k]![e]!))) continue;
        // When the loop exits on every test, no test says what to return after it: nothing (None).
        if (need === 0) found.push(earlyReturnProgram(s.iterable, c, a, null));
        else if (otherwise && otherwise.tokens.length <= SHORT_FALLBACK) found.push(earlyReturnProgram(s.iterable, c, a, otherwise.tokens));
        else {
          const program = (fallback: readonly number[]) => earlyReturnProgram(s.iterable, c, a, fallback);
          open.push({ tests: exits.flatMap((e, k) => (e < 0 ? [k] : [])), program, size: program([]).length, ...(otherwise ? { known: otherwise.tokens } : {}) });
        }
      }
    }
  }

  // Collect and tally, with or without a condition.
  const everywhere = s.values[0]!.rows.map((row) => row.map((_, i) => i));
  const filters: (Condition | null)[] = [null, ...conditions];
  const lists = s.expected.every((e) => e.type === 'list');
  const ints = s.expected.every((e) => e.type === 'int');
  for (const c of filters) {
    const holds = c?.holds ?? everywhere;
    if (lists && holds.every((h, k) => h.length === (s.expected[k] as { items: readonly PyValue[] }).items.length)) {
      for (const e of s.values) {
        if (!fresh(c?.value ?? null, e)) continue;
        const ok = holds.every((h, k) => h.every((i, j) => same((s.expected[k] as { items: readonly PyValue[] }).items[j]!, e.rows[k]![i]!)));
        if (ok) found.push(accumulateProgram(s.iterable, c, [LB, RB], [APPEND, ...e.tokens, RP]));
      }
    }
    if (ints) {
      for (const e of s.values) {
        if (e.kind !== 'int' || !fresh(c?.value ?? null, e)) continue;
        const ok = holds.every((h, k) => h.reduce((sum, i) => sum + (e.rows[k]![i] as { value: bigint }).value, 0n) === (s.expected[k] as { value: bigint }).value);
        if (ok) found.push(accumulateProgram(s.iterable, c, [ZERO], [PLUS_EQ, ...e.tokens]));
      }
    }
  }
  return { programs: found.sort((a, b) => a.length - b.length), open: open.sort((a, b) => a.size - b.size) };
}
