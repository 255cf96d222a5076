import { VERDICTS, type SampleResult, type Verdict } from './verdict.ts';

/**
 * Reads the `expect_outcome` words of a run-samples file (../shared/adversarial/cases.json) and
 * says whether a result fits them. The words name verdict classes, sometimes in other harnesses'
 * vocabulary, sometimes with a scope:
 *   "timeout", "runtime_error or crash", "load_error", "result too large",
 *   "passed (float tolerance)"              (a parenthesis only explains),
 *   "wrong_answer on tests 2-3"             (those tests have it; the others are not constrained),
 *   "wrong_answer on all but test 1".
 */

/** Other names for our verdicts. */
const ALIASES: Record<string, Verdict> = {
  load_error: 'compile_error',
  no_entry_point: 'missing_entry_point',
  'result too large': 'output_limit',
  'unserializable result': 'unserializable',
  error: 'runtime_error',
};

/**
 * Verdicts that refine a broader one: a wrong arity is the TypeError a call raises, a MemoryError
 * under the address-space limit is a runtime error (or, where the allocator aborts, a crash).
 */
const REFINEMENTS: Partial<Record<Verdict, readonly Verdict[]>> = {
  runtime_error: ['runtime_error', 'wrong_arity', 'memory_limit'],
  crash: ['crash', 'memory_limit'],
};

export interface OutcomeCheck {
  readonly matches: boolean;
  /** Why not, in words, when it does not match. */
  readonly reason?: string;
}

function verdictOf(words: string): Verdict | undefined {
  const w = words.trim().toLowerCase();
  if (w in ALIASES) return ALIASES[w];
  return (VERDICTS as readonly string[]).includes(w) ? (w as Verdict) : undefined;
}

/** The verdicts a class name accepts, or undefined for words we cannot read. */
export function acceptedVerdicts(words: string): Verdict[] | undefined {
  const out = new Set<Verdict>();
  for (const part of words.split(/\s+or\s+/)) {
    const verdict = verdictOf(part);
    if (!verdict) return undefined;
    for (const v of REFINEMENTS[verdict] ?? [verdict]) out.add(v);
  }
  return [...out];
}

/** Test indexes (0-based) a scope names, given the number of tests. */
function scopeIndexes(scope: string, total: number): number[] | undefined {
  const all = Array.from({ length: total }, (_, i) => i);
  let m = /^tests? (\d+)(?:\s*-\s*(\d+))?$/.exec(scope);
  if (m) {
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    return all.filter((i) => i + 1 >= from && i + 1 <= to);
  }
  m = /^all but tests? (\d+(?:\s*,\s*\d+)*)$/.exec(scope);
  if (m) {
    const skip = new Set(m[1]!.split(',').map((n) => Number(n.trim()) - 1));
    return all.filter((i) => !skip.has(i));
  }
  if (scope === 'all tests' || scope === 'all') return all;
  return undefined;
}

export function matchOutcome(expectOutcome: string, result: Pick<SampleResult, 'verdict' | 'tests'>): OutcomeCheck {
  const words = expectOutcome.replace(/\([^)]*\)/g, '').trim().toLowerCase();
  const [classWords, scope] = words.split(/\s+on\s+/, 2) as [string, string | undefined];
  const accepted = acceptedVerdicts(classWords);
  if (!accepted) return { matches: false, reason: `cannot read the expected outcome "${expectOutcome}"` };
  if (scope === undefined) {
    return accepted.includes(result.verdict)
      ? { matches: true }
      : { matches: false, reason: `verdict ${result.verdict}, expected ${accepted.join(' or ')}` };
  }
  const indexes = scopeIndexes(scope, result.tests.length);
  if (!indexes || indexes.length === 0) {
    return { matches: false, reason: `cannot read the scope "${scope}" for ${result.tests.length} tests` };
  }
  for (const i of indexes) {
    const got = result.tests[i]!.verdict;
    if (!accepted.includes(got)) return { matches: false, reason: `test ${i + 1}: ${got}, expected ${accepted.join(' or ')}` };
  }
  return { matches: true };
}
