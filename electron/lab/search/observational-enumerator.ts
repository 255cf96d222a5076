import { GrammarMasker } from '#lab/env/grammar-mask.ts';
import { applyToken, initialState } from '#lab/env/grammar-state.ts';
import { programSource, sourceNames } from '#lab/env/program-source.ts';
import { sampleFromProblem } from '#shared/executor/sample-from-problem.ts';
import type { SampleResult } from '#shared/executor/verdict.ts';
import { TOKEN_COUNT, tokenId } from '#shared/env/token-vocabulary.ts';
import type { Problem } from '#shared/problems/problem.ts';
import { decodeTagged } from '#shared/values/tagged-json.ts';
import type { PyValue } from '#shared/values/py-value.ts';
import type { Rng } from '#lab/random/rng.ts';
import { BINARY_OPS, kindOf, PREC, UNARY_OPS, type Expr } from './expression-operators.ts';

export interface CandidateJudge {
  run(sample: ReturnType<typeof sampleFromProblem>, tier?: 'pooled'): Promise<SampleResult>;
}

export interface ExecutedCandidate {
  /** Program tokens (`return` expr NEWLINE END). */
  readonly tokens: readonly number[];
  /** The operator that made it and the pool ids of its operands (atoms: none). */
  readonly op: string;
  readonly operands: readonly number[];
  /** Its outputs on the tests, canonical text; null when a test did not return a value. */
  readonly signature: string | null;
  /** True when it joined the pool (new behaviour, error-free). */
  readonly kept: boolean;
}

export interface EnumerationResult {
  readonly solved: boolean;
  /** Candidates executed (each one program run on the problem's tests), the solution included. */
  readonly executed: number;
  readonly program: string | null;
  readonly tokens: readonly number[] | null;
  /** The observationally distinct one-line values kept (`return <expr>` and its outputs). */
  readonly values: readonly Expr[];
}

export interface EnumerationOptions {
  readonly problem: Problem;
  readonly executor: CandidateJudge;
  /** Most candidates to execute. */
  readonly budget: number;
  /** Program length limit in tokens (config environment.max_steps). */
  readonly maxSteps: number;
  readonly timeoutMs?: number;
  /** Called with every executed candidate, in order (tests check the OE promise with it). */
  readonly onExecuted?: (c: ExecutedCandidate) => void;
  /** Candidates judged concurrently (the order of counting stays the enumeration order). */
  readonly concurrency?: number;
  /** False: keep enumerating past a candidate that passes (to list behaviours, as the generator does). */
  readonly stopAtSolution?: boolean;
  /**
   * After the budget: this many more candidates, each one operator applied to operands drawn at
   * random from the kept values (commutative operands in either order). Enumeration by size reaches
   * only the first few operand pairs of a larger size; these draws reach every size up to
   * max_steps, so a generated corpus is not made of the smallest expressions alone.
   */
  readonly compositions?: { readonly count: number; readonly rng: Rng };
  /**
   * Only candidates whose every token this allows (brackets, commas and colons are always
   * allowed): a guided search's subset of atoms and operators (guided-enumeration.ts).
   */
  readonly allowed?: (token: number) => boolean;
  /**
   * Programs (`return` expr NEWLINE END) an earlier search of the problem already ran: judged again
   * for their values (from the executor's cache where it has them) but not counted.
   */
  readonly alreadyRun?: (program: readonly number[]) => boolean;
  /** A size's candidates are executed in increasing order of this (stable; default: as built). */
  readonly order?: (tokens: readonly number[]) => number;
}

const RETURN = tokenId('return');
const NEWLINE = tokenId('NEWLINE');
const END = tokenId('END');

/** The program `return <expression>` NEWLINE END, as every search here writes it. */
export const returnProgram = (expression: readonly number[]): number[] => [RETURN, ...expression, NEWLINE, END];

/** The expression of a one-line `return <expression>` program, or null for any other program. */
export function returnedExpression(program: readonly number[]): number[] | null {
  const body = program.slice(1, -2);
  return program[0] === RETURN && program.at(-2) === NEWLINE && program.at(-1) === END && !body.includes(NEWLINE) ? body : null;
}
const PARAM0 = tokenId('P0');
const ATOM_CONSTANTS = ['0', '1', '2', '3', '10', '-1', 'True', 'False', 'None', "''"];
/** Tokens a filter on atoms and operators never removes: they only shape what the others build. */
const STRUCTURAL = new Set([tokenId('('), tokenId(')'), tokenId(','), tokenId(']'), tokenId(':')]);

interface Candidate {
  tokens: number[];
  prec: number;
  op: string;
  operands: number[];
}

/** Canonical text of a test's output; `-0.0`, NaN and big ints kept apart as Python keeps them. */
export const canonical = (v: PyValue): string =>
  JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : typeof x === 'number' && (Object.is(x, -0) || !Number.isFinite(x)) ? String(x) : x));

/**
 * A candidate's behaviour: its outputs on the pair tests (assert-style tests return no value) and
 * their canonical text; null when a test did not return a value.
 */
export function behaviourOf(r: SampleResult): { values: PyValue[]; signature: string } | null {
  const pairs = r.tests.filter((x) => x.kind !== 'assert');
  const returned = pairs.length > 0 && pairs.every((x) => (x.verdict === 'passed' || x.verdict === 'wrong_answer') && x.actual !== undefined);
  if (!returned) return null;
  const values = pairs.map((x) => decodeTagged(x.actual));
  return { values, signature: values.map(canonical).join('|') };
}

/** Whether the environment's grammar mask lets a problem's program be exactly these tokens. */
export function grammarCheck(problem: Problem, maxSteps: number): (tokens: readonly number[]) => boolean {
  const names = sourceNames(problem);
  const masker = new GrammarMasker({ paramCount: Math.min(names.parameters.length, 5), maxSteps, shadowed: names.parameters });
  const mask = new Uint8Array(TOKEN_COUNT);
  return (tokens) => {
    const s = initialState();
    for (const a of tokens) {
      masker.write(s, mask);
      if (!mask[a]) return false;
      applyToken(s, a);
    }
    return true;
  };
}

/** The enumeration's atoms: the parameters, the grammar's constants, and `[]`. */
export function atoms(paramCount: number): { tokens: number[]; prec: number }[] {
  return [
    ...Array.from({ length: paramCount }, (_, p) => ({ tokens: [PARAM0 + p], prec: PREC.atom })),
    ...ATOM_CONSTANTS.map((c) => ({ tokens: [tokenId(c)], prec: c === '-1' ? PREC.unary : PREC.atom })),
    { tokens: [tokenId('['), tokenId(']')], prec: PREC.atom },
  ];
}

/**
 * Bottom-up enumeration with observational equivalence, the textbook baseline: expressions are
 * built by size (tokens) from the problem's parameters and the grammar's constants with the
 * operators of expression-operators.ts; each new one is run once on the tests (counted), and one
 * whose outputs equal an earlier value's, or that fails a test, is dropped, so every larger
 * candidate is an operator applied to observationally distinct values. Commutative operators pair
 * each unordered couple once. Programs are `return <expr>`, checked against the environment's
 * grammar mask, so they are programs the other agents could write too.
 */
export async function enumerateWithEquivalence(o: EnumerationOptions): Promise<EnumerationResult> {
  const names = sourceNames(o.problem);
  const paramCount = Math.min(names.parameters.length, 5);
  const grammatical = grammarCheck(o.problem, o.maxSteps);
  const pool: Expr[] = [];
  const seen = new Set<string>();
  const tried = new Set<string>();
  let executed = 0;
  let budget = o.budget;
  const concurrency = o.concurrency ?? 16;
  const maxExprSize = o.maxSteps - 3;

  /** Runs candidates in order; returns the first that passes every test. */
  const judge = async (candidates: Candidate[]): Promise<Candidate | null> => {
    for (let i = 0; i < candidates.length && executed < budget; i += concurrency) {
      const chunk = candidates.slice(i, Math.min(i + concurrency, i + budget - executed));
      const programs = chunk.map((c) => returnProgram(c.tokens));
      const results = await Promise.all(
        programs.map((p) => o.executor.run(sampleFromProblem(o.problem, programSource(p, o.problem, names), o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }), 'pooled')),
      );
      for (let k = 0; k < chunk.length; k++) {
        const c = chunk[k]!;
        const r = results[k]!;
        if (!o.alreadyRun?.(programs[k]!)) executed++;
        const behaviour = behaviourOf(r);
        const signature = behaviour?.signature ?? null;
        const kept = behaviour !== null && !seen.has(behaviour.signature);
        if (kept) {
          seen.add(behaviour.signature);
          pool.push({ tokens: c.tokens, prec: c.prec, kind: kindOf(behaviour.values), values: behaviour.values, id: pool.length });
        }
        o.onExecuted?.({ tokens: programs[k]!, op: c.op, operands: c.operands, signature, kept });
        if (r.total > 0 && r.passed === r.total && o.stopAtSolution !== false) return c;
      }
    }
    return null;
  };

  const finish = (solution: Candidate | null): EnumerationResult => {
    const tokens = solution ? returnProgram(solution.tokens) : null;
    return { solved: solution !== null, executed, program: tokens ? programSource(tokens, o.problem, names) : null, tokens, values: pool };
  };

  /** Queues a candidate that is new, grammatical and `size` tokens long (any size when null). */
  const offerTo = (level: Candidate[], c: Candidate, size: number | null) => {
    if (size === null ? c.tokens.length > maxExprSize : c.tokens.length !== size) return;
    if (o.allowed && !c.tokens.every((t) => STRUCTURAL.has(t) || o.allowed!(t))) return;
    const key = c.tokens.join(' ');
    if (tried.has(key) || !grammatical(returnProgram(c.tokens))) return;
    tried.add(key);
    level.push(c);
  };

  for (let size = 1; size <= maxExprSize && executed < budget; size++) {
    const level: Candidate[] = [];
    const offer = (c: Candidate) => offerTo(level, c, size);
    for (const atom of atoms(paramCount)) offer({ ...atom, op: 'atom', operands: [] });
    const smaller = pool.filter((e) => e.tokens.length < size);
    for (const op of UNARY_OPS) {
      for (const x of smaller) {
        if (!op.accepts(x)) continue;
        const built = op.build(x);
        offer({ ...built, op: op.name, operands: [x.id] });
      }
    }
    for (const op of BINARY_OPS) {
      for (const a of smaller) {
        for (const b of smaller) {
          if (a.tokens.length + b.tokens.length >= size || (op.commutative && a.id > b.id)) continue;
          if (!op.accepts(a, b)) continue;
          offer({ ...op.build(a, b), op: op.name, operands: [a.id, b.id] });
        }
      }
    }
    if (o.order) {
      const keys = new Map(level.map((c) => [c, o.order!(c.tokens)]));
      level.sort((a, b) => keys.get(a)! - keys.get(b)!);
    }
    const found = await judge(level);
    if (found) return finish(found);
  }
  if (o.compositions && pool.length > 0) {
    const { rng, count } = o.compositions;
    budget = executed + count;
    const reads = (e: Expr) => e.tokens.some((a) => a >= PARAM0 && a < PARAM0 + paramCount);
    for (let drawn = 0, attempts = 0; drawn < count && attempts < count * 50; ) {
      // Operands: atoms, or values that read a parameter (a compound constant is never a useful
      // operand), drawn with weight halving per token so most compositions stay short.
      const operands = pool.filter((e) => e.tokens.length === 1 || reads(e));
      const cumulative = new Float64Array(operands.length);
      for (let i = 0, sum = 0; i < operands.length; i++) cumulative[i] = sum += 0.5 ** operands[i]!.tokens.length;
      const pick = () => {
        const r = rng.next() * cumulative[cumulative.length - 1]!;
        let lo = 0;
        for (let hi = cumulative.length - 1; lo < hi; ) {
          const mid = (lo + hi) >> 1;
          if (cumulative[mid]! > r) hi = mid;
          else lo = mid + 1;
        }
        return operands[lo]!;
      };
      const level: Candidate[] = [];
      while (level.length < concurrency * 4 && drawn + level.length < count && attempts++ < count * 50) {
        if (rng.next() < 0.25) {
          const op = UNARY_OPS[rng.int(UNARY_OPS.length)]!;
          const x = pick();
          if (op.accepts(x)) offerTo(level, { ...op.build(x), op: op.name, operands: [x.id] }, null);
        } else {
          const op = BINARY_OPS[rng.int(BINARY_OPS.length)]!;
          const a = pick();
          const b = pick();
          if (op.accepts(a, b)) offerTo(level, { ...op.build(a, b), op: op.name, operands: [a.id, b.id] }, null);
        }
      }
      if (level.length === 0) break;
      drawn += level.length;
      const found = await judge(level);
      if (found) return finish(found);
    }
  }
  return finish(null);
}
