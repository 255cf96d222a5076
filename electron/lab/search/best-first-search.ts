import { Heap } from 'heap-js';
import { programSource, sourceNames } from '#lab/env/program-source.ts';
import { sampleFromProblem } from '#shared/executor/sample-from-problem.ts';
import { tokenId } from '#shared/env/token-vocabulary.ts';
import type { Problem } from '#shared/problems/problem.ts';
import { BINARY_OPS, kindOf, precedenceOf, UNARY_OPS, type Expr } from './expression-operators.ts';
import { atoms, behaviourOf, grammarCheck, returnProgram, type CandidateJudge, type EnumerationResult } from './observational-enumerator.ts';
import type { ValueScore, ValueScorer } from './policy-value-scorer.ts';

export interface BestFirstOptions {
  readonly problem: Problem;
  readonly executor: CandidateJudge;
  /** Most candidates to execute. */
  readonly budget: number;
  readonly maxSteps: number;
  readonly timeoutMs?: number;
  readonly scorer: ValueScorer;
  /** -log p(first token after `return`), from the scorer. */
  readonly start: Float64Array;
  /** Expressions of programs another search ran (`return` expr NEWLINE END without the frame): the first values. */
  readonly seeds?: readonly (readonly number[])[];
  /** Programs that search already ran: judged again for their values, not counted. */
  readonly alreadyRun?: (program: readonly number[]) => boolean;
  /** Candidates judged concurrently. */
  readonly concurrency?: number;
  /** Nats taken off a value's cost per fraction of the tests it passes (values that read a parameter); default PARTIAL_CREDIT. */
  readonly partialCredit?: number;
}

/** Pool values each new value is combined with: the cheapest ones (the rest wait for their turn as the new value). */
const PARTNERS = 32;
/**
 * Nats taken off a value's cost per fraction of the tests it passes, for values that read a
 * parameter (a constant passes tests by chance): combining near-misses first added 4 solved tasks
 * of MBPP's train tasks 701-974 (83 against 79; 3 nats gave 82), docs/pretraining.md.
 */
export const PARTIAL_CREDIT = 6;

const PARAM0 = tokenId('P0');

interface Value extends Expr {
  readonly score: ValueScore;
}

/** An expression to run, with its program (`return` expression NEWLINE END). */
interface Candidate {
  readonly tokens: number[];
  readonly prec: number;
  readonly program: number[];
}

interface Pending {
  readonly cost: number;
  readonly built: { tokens: number[]; prec: number };
}

/**
 * Best-first bottom-up search with observational equivalence, scored by a pretrained policy (in
 * the manner of CrossBeam, Shi et al. 2022: a model conditioned on the tests decides which
 * already-executed, behaviourally distinct values to combine next). Every kept value is scored as
 * `return <value>`; an operator applied to values is priced from that score: for `a + b`, the
 * policy's cost of writing `a`, then `+` after it, plus the cost of `b` as a value; for `len(a)`,
 * the cost of starting with `len(` plus that of `a`. The cheapest candidate is executed next
 * (counted), kept if no earlier value had its outputs and it returned on every test, and combined
 * in turn with the cheapest values so far.
 */
export async function bestFirstSearch(o: BestFirstOptions): Promise<EnumerationResult> {
  const grammatical = grammarCheck(o.problem, o.maxSteps);
  const paramCount = Math.min(sourceNames(o.problem).parameters.length, 5);
  const maxExprSize = o.maxSteps - 3;
  const concurrency = o.concurrency ?? 16;
  const pool: Value[] = [];
  /** The PARTNERS cheapest values, cheapest first (ties in the order they came). */
  const cheapest: Value[] = [];
  const seen = new Set<string>();
  const tried = new Set<string>();
  const queue = new Heap<Pending>((a, b) => a.cost - b.cost);
  let executed = 0;
  /** True the first time an expression's program is met: by its source, since `-1` and `- 1` print alike. */
  const isNew = (program: readonly number[]) => {
    const source = programSource(program, o.problem);
    if (tried.has(source)) return false;
    tried.add(source);
    return true;
  };

  const judge = async (candidates: Candidate[]): Promise<number[] | null> => {
    const programs = candidates.map((c) => c.program);
    const results = await Promise.all(
      programs.map((p) => o.executor.run(sampleFromProblem(o.problem, programSource(p, o.problem), o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }), 'pooled')),
    );
    const kept: { c: (typeof candidates)[number]; values: Expr['values']; passed: number }[] = [];
    for (let k = 0; k < candidates.length; k++) {
      const r = results[k]!;
      if (!o.alreadyRun?.(programs[k]!)) executed++;
      if (r.total > 0 && r.passed === r.total) return programs[k]!;
      const behaviour = behaviourOf(r);
      if (!behaviour || seen.has(behaviour.signature)) continue;
      seen.add(behaviour.signature);
      kept.push({ c: candidates[k]!, values: behaviour.values, passed: r.total > 0 ? r.passed / r.total : 0 });
    }
    for (const { c, values, passed } of kept) {
      const score = await o.scorer.score(c.tokens);
      const reads = c.tokens.some((t) => t >= PARAM0 && t < PARAM0 + paramCount);
      const credit = reads ? (o.partialCredit ?? PARTIAL_CREDIT) * passed : 0;
      if (score) admit({ tokens: c.tokens, prec: c.prec, kind: kindOf(values), values, id: pool.length, score: { cost: score.cost - credit, next: score.next } });
    }
    return null;
  };

  /** A new value joins the pool; its combinations with itself and the cheapest values are queued. */
  const admit = (v: Value) => {
    const partners = [...cheapest];
    pool.push(v);
    const at = cheapest.findIndex((w) => w.score.cost > v.score.cost);
    cheapest.splice(at < 0 ? cheapest.length : at, 0, v);
    if (cheapest.length > PARTNERS) cheapest.pop();
    const price = (built: { tokens: number[] }, left: Value, rest: number) =>
      rest + (startsWith(built.tokens, left.tokens) ? left.score.cost + left.score.next[built.tokens[left.tokens.length]!]! : o.start[built.tokens[0]!]! + left.score.cost);
    for (const op of UNARY_OPS) {
      if (!op.accepts(v)) continue;
      const built = op.build(v);
      const cost = price(built, v, 0);
      if (Number.isFinite(cost)) queue.push({ cost, built });
    }
    for (const w of [v, ...partners]) {
      for (const op of BINARY_OPS) {
        for (const [a, b] of w === v || op.commutative ? [[v, w] as const] : [[v, w] as const, [w, v] as const]) {
          if (!op.accepts(a, b)) continue;
          const built = op.build(a, b);
          const cost = price(built, a, b.score.cost);
          if (Number.isFinite(cost)) queue.push({ cost, built });
        }
      }
    }
  };

  /** The next `n` candidates, cheapest first, that are new, short enough and grammatical. */
  const next = (n: number) => {
    const out: Candidate[] = [];
    while (out.length < n && queue.length > 0) {
      const { tokens, prec } = queue.pop()!.built;
      const program = returnProgram(tokens);
      if (tokens.length <= maxExprSize && isNew(program) && grammatical(program)) out.push({ tokens, prec, program });
    }
    return out;
  };

  const finish = (program: number[] | null): EnumerationResult => ({
    solved: program !== null,
    executed,
    program: program ? programSource(program, o.problem) : null,
    tokens: program,
    values: pool,
  });

  // The atoms and the seeds are the first values; the seeds' programs were run (and counted) by
  // whoever made them.
  const first = [...atoms(paramCount), ...(o.seeds ?? []).map((tokens) => ({ tokens: [...tokens], prec: precedenceOf(tokens) }))]
    .map((c) => ({ ...c, program: returnProgram(c.tokens) }))
    .filter((c) => grammatical(c.program) && isNew(c.program));
  const counts = (c: Candidate) => !o.alreadyRun?.(c.program);
  for (let i = 0; i < first.length; ) {
    // A chunk never holds more counted programs than the budget has left.
    const chunk: typeof first = [];
    for (let counted = 0; i < first.length && chunk.length < concurrency; i++) {
      if (counts(first[i]!) && executed + counted >= o.budget) continue;
      if (counts(first[i]!)) counted++;
      chunk.push(first[i]!);
    }
    const found = await judge(chunk);
    if (found) return finish(found);
  }
  while (executed < o.budget && queue.length > 0) {
    const batch = next(Math.min(concurrency, o.budget - executed));
    if (batch.length === 0) break;
    const found = await judge(batch);
    if (found) return finish(found);
  }
  return finish(null);
}

const startsWith = (tokens: readonly number[], prefix: readonly number[]) => prefix.every((t, i) => tokens[i] === t);
