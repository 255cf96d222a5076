import { programSource, sourceNames } from '#lab/env/program-source.ts';
import { sampleFromProblem } from '#shared/executor/sample-from-problem.ts';
import { tokenId } from '#shared/env/token-vocabulary.ts';
import type { Problem } from '#shared/problems/problem.ts';
import { py, type PyValue } from '#shared/values/py-value.ts';
import { decodeTagged } from '#shared/values/tagged-json.ts';
import { inferParameters, testArguments } from '#shared/problems/test-arguments.ts';
import { BINARY_OPS, kindOf, PREC, UNARY_OPS, type Expr } from './expression-operators.ts';
import { atoms, behaviourOf, canonical, enumerateWithEquivalence, grammarCheck, returnedExpression, type CandidateJudge, type EnumerationResult } from './observational-enumerator.ts';
import { predictedSolutions, probeProgram, type ElementValue, type OpenFallback } from './loop-sketches.ts';

export interface LoopSearchOptions {
  readonly problem: Problem;
  readonly executor: CandidateJudge;
  /** Most programs to execute. */
  readonly budget: number;
  readonly timeoutMs?: number;
  /** One-line values another search kept (`return <expr>` and its outputs): the inputs' and constants' values, and what a loop returns when it never exits. */
  readonly values: readonly Expr[];
  readonly concurrency?: number;
  /**
   * Searches a one-line fallback for an early-return loop: a program for the problem restricted
   * to the tests the loop does not exit on. Default: enumeration with observational equivalence.
   */
  readonly searchFallback?: (subset: Problem, budget: number) => Promise<EnumerationResult>;
  /** Programs an earlier search of the problem already ran: judged again (from the executor's cache) but not counted. */
  readonly alreadyRun?: (program: readonly number[]) => boolean;
  /** Called with every value of the loop variable kept, and its loop's iterable (tests check them with it). */
  readonly onValue?: (value: ElementValue, iterable: readonly number[]) => void;
}

/** Loop programs are longer than one-liners: the grammar's length limit for them. */
export const LOOP_MAX_STEPS = 48;
/** The longest expression of the loop variable run at every element. */
const MAX_ELEMENT_TOKENS = 10;
/** The heaviest expressions tried (search order weight, loop-sketches.ts). */
const MAX_WEIGHT = 8;
/** Iterables with more elements than this on a test are not looped over. */
const MAX_ELEMENTS = 2000;
const UNARY_WEIGHT = 2;
/** Most predicted loops run per batch of probes: a problem's assert tests are not predicted, so some fail. */
const MAX_CONFIRMATIONS = 8;
/** Most programs one fallback search runs, and the length limit of its one-line programs (default search). */
const FALLBACK_BUDGET = 100;
const FALLBACK_MAX_STEPS = 12;

const t = tokenId;
const [P0, L1, RANGE, LEN, COMMA, RP, PLUS] = ['P0', 'L1', 'range(', 'len(', ',', ')', '+'].map(t) as [number, number, number, number, number, number, number];
const ONE = t('1');
const TWO = t('2');

/** What a loop runs over: `for x in <tokens>`. */
export interface Loop {
  readonly tokens: number[];
  /** Its elements on each test. */
  readonly elements: PyValue[][];
}

/** What a parameter's value lets a loop run over: ranges up to an int, a sequence's items and indices. */
function iterablesOf(param: number, values: readonly PyValue[]): Loop[] {
  const p = P0 + param;
  if (values.every((v) => v.type === 'int')) {
    const ints = values.map((v) => (v as { value: bigint }).value);
    const range = (tokens: number[], from: bigint, shift: bigint): Loop | null =>
      ints.every((n) => n + shift - from <= BigInt(MAX_ELEMENTS))
        ? { tokens, elements: ints.map((n) => Array.from({ length: Math.max(0, Number(n + shift - from)) }, (_, i) => py.int(from + BigInt(i)))) }
        : null;
    return [
      range([RANGE, p, RP], 0n, 0n),
      range([RANGE, ONE, COMMA, p, PLUS, ONE, RP], 1n, 1n),
      range([RANGE, ONE, COMMA, p, RP], 1n, 0n),
      range([RANGE, TWO, COMMA, p, RP], 2n, 0n),
    ].filter((it) => it !== null);
  }
  const items = values.map((v) => (v.type === 'str' ? [...v.value].map(py.str) : v.type === 'list' || v.type === 'tuple' ? [...v.items] : null));
  if (items.some((x) => x === null || x.length > MAX_ELEMENTS)) return [];
  const sequences = items as PyValue[][];
  return [
    { tokens: [p], elements: sequences },
    { tokens: [RANGE, LEN, p, RP, RP], elements: sequences.map((s) => s.map((_, i) => py.int(i))) },
  ];
}

/** The loops a problem's parameters allow, from its tests' inputs (`[input, expected]` tests only). */
export function loopsOver(problem: Problem): Loop[] {
  const paramCount = Math.min(sourceNames(problem).parameters.length, 5);
  const inputs = problem.test_cases.map((c) => testArguments(c[0], inferParameters(problem)?.length).map((a) => decodeTagged(a)));
  if (inputs.length === 0 || inputs.some((args) => args.length < paramCount)) return [];
  return Array.from({ length: paramCount }, (_, p) => iterablesOf(p, inputs.map((args) => args[p]!))).flat().filter((it) => it.elements.some((e) => e.length > 0));
}

const flat = (rows: readonly (readonly PyValue[])[]) => rows.flat();
const signatureOf = (rows: readonly (readonly PyValue[])[]) => rows.map((r) => r.map(canonical).join(',')).join('|');

/**
 * Search over loop programs (early return, collect, tally: loop-sketches.ts) that one-line
 * expressions cannot write, such as a divisor loop. For each loop over a parameter (a range up to
 * an int, a sequence or its indices), expressions of the loop variable and the inputs are built
 * bottom-up in order of weight and run at every element by one probe program each (counted),
 * dropped when they error or equal an earlier value at every element (observational equivalence
 * per element). After each batch the loops that combine the values are predicted from them, and
 * those predicted to pass are run (counted), shortest first. A probe that passes is a solution too.
 */
export async function loopSearch(o: LoopSearchOptions): Promise<EnumerationResult> {
  const concurrency = o.concurrency ?? 16;
  const grammatical = grammarCheck(o.problem, LOOP_MAX_STEPS);
  const expected = o.problem.test_cases.map((c) => decodeTagged(c[1]));
  const paramCount = Math.min(sourceNames(o.problem).parameters.length, 5);
  const oneLine = new Map(o.values.map((v) => [v.tokens.join(' '), v]));
  const tried = new Set<string>();
  let executed = 0;
  const finish = (program: number[] | null): EnumerationResult => ({
    solved: program !== null, executed, program: program ? programSource(program, o.problem) : null, tokens: program, values: [],
  });
  if (expected.length === 0) return finish(null);

  /**
   * Runs the new, grammatical programs in order while the budget lasts; returns what those run
   * gave, each with its index in `programs`.
   */
  const run = async (programs: number[][]): Promise<{ index: number; program: number[]; values: PyValue[] | null; passed: boolean }[]> => {
    const fresh = [...programs.entries()].filter(([, p]) => {
      const source = programSource(p, o.problem);
      if (tried.has(source) || !grammatical(p)) return false;
      tried.add(source);
      return true;
    });
    const out = [];
    for (let i = 0; i < fresh.length && executed < o.budget; i += concurrency) {
      const chunk = fresh.slice(i, i + Math.min(concurrency, o.budget - executed));
      const results = await Promise.all(
        chunk.map(([, p]) => o.executor.run(sampleFromProblem(o.problem, programSource(p, o.problem), o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }), 'pooled')),
      );
      executed += chunk.filter(([, p]) => !o.alreadyRun?.(p)).length;
      for (const [k, r] of results.entries()) {
        const [index, program] = chunk[k]!;
        const passed = r.total > 0 && r.passed === r.total;
        out.push({ index, program, values: behaviourOf(r)?.values ?? null, passed });
        if (passed) return out;
      }
    }
    return out;
  };

  const states = loopsOver(o.problem).map((it) => {
    // The loop variable, the parameters and the constants are the first values, known without a run.
    const values: ElementValue[] = [];
    const add = (tokens: number[], prec: number, rows: PyValue[][], weight: number, readsLoop: boolean) =>
      values.push({ tokens, prec, rows, values: flat(rows), kind: kindOf(flat(rows)), id: values.length, weight, readsLoop, op: 'atom' });
    add([L1], PREC.atom, it.elements, 1, true);
    for (const atom of atoms(paramCount)) {
      const v = oneLine.get(atom.tokens.join(' '));
      if (v) add(atom.tokens, atom.prec, it.elements.map((e, k) => e.map(() => v.values[k]!)), atom.tokens[0]! >= P0 && atom.tokens[0]! < P0 + paramCount ? 1 : 2, false);
    }
    return { it, values, seen: new Set(values.map((v) => signatureOf(v.rows))) };
  });

  // Early-return loops waiting for a fallback, and the fallback found (or not) per set of tests.
  let open: OpenFallback[] = [];
  const fallbackFor = new Map<string, readonly number[] | null>();
  /**
   * The open loop that leaves the fewest tests to its fallback (then the shortest) is completed:
   * the first time a set of tests is left, by a fallback search (enumeration on those tests
   * alone, FALLBACK_BUDGET programs at most, counted) whose solution later loops leaving the same
   * tests reuse; failing that, by a long known value that fits. The loop then runs (counted).
   */
  const completeOpenLoop = async (): Promise<number[] | null> => {
    if (open.length === 0 || executed >= o.budget) return null;
    const best = open.reduce((a, b) => (b.tests.length < a.tests.length || (b.tests.length === a.tests.length && b.size < a.size) ? b : a));
    open = open.filter((f) => f !== best);
    const key = best.tests.join(',');
    if (!fallbackFor.has(key)) {
      const subset: Problem = { ...o.problem, test_cases: best.tests.map((k) => o.problem.test_cases[k]!), assert_tests: [] };
      const budget = Math.min(FALLBACK_BUDGET, o.budget - executed);
      const fallback = o.searchFallback
        ? await o.searchFallback(subset, budget)
        : await enumerateWithEquivalence({ problem: subset, executor: o.executor, budget, maxSteps: FALLBACK_MAX_STEPS, ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }) });
      executed += fallback.executed;
      fallbackFor.set(key, fallback.tokens && returnedExpression(fallback.tokens));
    }
    const found = fallbackFor.get(key) ?? null;
    const expression = found && (!best.known || found.length <= best.known.length) ? found : best.known;
    if (!expression) return null;
    const completed = await run([best.program(expression)]);
    return completed.find((r) => r.passed)?.program ?? null;
  };

  /** Runs the loops predicted from a loop's values (a few per batch: assert tests are not predicted), then completes an open one. */
  const tryPredicted = async (state: (typeof states)[number], fresh: ReadonlySet<ElementValue>): Promise<number[] | null> => {
    const predicted = predictedSolutions({ iterable: state.it.tokens, expected, values: state.values, fresh, fallbacks: o.values });
    const confirmed = (await run(predicted.programs.slice(0, MAX_CONFIRMATIONS))).find((r) => r.passed);
    if (confirmed) return confirmed.program;
    open.push(...predicted.open.filter((f) => expected.length - f.tests.length >= 2));
    return completeOpenLoop();
  };

  // The loops of the first values alone (`r.append(x)`, `r += x`) are predicted before any probe.
  for (const state of states) {
    const solution = await tryPredicted(state, new Set(state.values));
    if (solution) return finish(solution);
  }

  // The lightest operator on the loop variable weighs 3 (`-x`, `x + n`).
  for (let weight = 3; weight <= MAX_WEIGHT && executed < o.budget; weight++) {
    for (const state of states) {
      const candidates = elementCandidates(state.values, weight).filter((c) => c.tokens.length <= MAX_ELEMENT_TOKENS);
      for (let i = 0; i < candidates.length && executed < o.budget; i += concurrency * 4) {
        const batch = candidates.slice(i, i + concurrency * 4);
        const results = await run(batch.map((c) => probeProgram(state.it.tokens, c.tokens)));
        const fresh = new Set<ElementValue>();
        for (const r of results) {
          if (r.passed) return finish(r.program);
          const rows = r.values?.map((v) => ('items' in v ? [...v.items] : []));
          if (!rows || rows.some((row, j) => row.length !== state.it.elements[j]!.length)) continue;
          const signature = signatureOf(rows);
          if (state.seen.has(signature)) continue;
          state.seen.add(signature);
          const c = batch[r.index]!;
          const value: ElementValue = { tokens: c.tokens, prec: c.prec, rows, values: flat(rows), kind: kindOf(flat(rows)), id: state.values.length, weight, readsLoop: true, op: c.op };
          state.values.push(value);
          fresh.add(value);
          o.onValue?.(value, state.it.tokens);
        }
        if (fresh.size === 0) continue;
        const solution = await tryPredicted(state, fresh);
        if (solution) return finish(solution);
      }
    }
  }
  return finish(null);
}

interface ElementCandidate {
  readonly tokens: number[];
  readonly prec: number;
  readonly op: string;
}

/** Operators that give something new when both operands are the same value (`x * x`, not `x - x`). */
const SELF_PAIRS = new Set(['+', '*', '+seq']);
/** Operators that undo themselves (`--x`, `not not x`). */
const INVOLUTIONS = new Set(['neg', 'not']);

/**
 * Operators applied to the values, `weight` in all, reading the loop variable: the next probes. A
 * unary operator weighs 2, a binary one 1, so relations between the element and the inputs
 * (`n % x`, `x in s`) come before chains of calls on the element alone.
 */
function elementCandidates(values: readonly ElementValue[], weight: number): ElementCandidate[] {
  const out: ElementCandidate[] = [];
  const seen = new Set<string>();
  const offer = (c: ElementCandidate) => {
    const key = c.tokens.join(' ');
    if (!seen.has(key)) (seen.add(key), out.push(c));
  };
  for (const op of UNARY_OPS) {
    for (const x of values) {
      if (!x.readsLoop || x.weight !== weight - UNARY_WEIGHT || !op.accepts(x) || (INVOLUTIONS.has(op.name) && x.op === op.name)) continue;
      offer({ ...op.build(x), op: op.name });
    }
  }
  for (const op of BINARY_OPS) {
    for (const a of values) {
      for (const b of values) {
        if (a.weight + b.weight !== weight - 1 || !(a.readsLoop || b.readsLoop) || (op.commutative && a.id > b.id)) continue;
        if ((a === b && !SELF_PAIRS.has(op.name)) || !op.accepts(a, b)) continue;
        offer({ ...op.build(a, b), op: op.name });
      }
    }
  }
  return out.sort((a, b) => a.tokens.length - b.tokens.length);
}
