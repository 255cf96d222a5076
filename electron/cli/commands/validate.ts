import { availableParallelism } from 'node:os';
import { TIERS, type Tier } from '#shared/executor/sample.ts';
import type { ProblemSet } from '#shared/problems/problem.ts';
import { createExecutor } from '#lab/executor/executor.ts';
import { checkReferenceSolutions, type FailedTest, type ReferenceReport } from '#lab/executor/reference-check.ts';
import { findProblemSet, listProblems, listProblemSets } from '#lab/store/problem-sets.ts';
import { EXIT, RefusedError, UsageError, type Command } from '../command.ts';
import { openStore } from '../open-store.ts';

/**
 * References are known-good, and the whole set runs at once: a generous budget keeps a busy machine's
 * slowness from reading as a failure, while a reference that really hangs still ends. The slowest
 * bundled reference, mbpp/123 (amicable numbers up to 9999, quadratic), needs about 3 s for one test
 * on a fast core, three times the executor's default budget.
 */
const DEFAULT_TIMEOUT_MS = 10_000;
/** Failing tests printed per problem in text mode (--json has them all). */
const SHOWN_TESTS = 5;

const clip = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function describeTest(t: FailedTest): string {
  const why = [t.verdict, t.exception && t.message ? `${t.exception}: ${t.message}` : t.exception ?? t.message].filter(Boolean).join(' ');
  if (t.kind === 'assert') {
    const lines = (t.assert ?? '').split('\n');
    const line = lines.find((l) => /\bassert\b/.test(l)) ?? lines.at(-1) ?? '';
    return `assert test ${t.test}: ${why}\n        ${clip(line.trim())}${lines.length > 1 ? ` (of ${lines.length} lines)` : ''}`;
  }
  const got = t.actual === undefined ? '' : `, got ${clip(t.actual)}`;
  return `test ${t.test}: ${clip(t.input ?? '')} expected ${clip(t.expected ?? '')}${got}: ${clip(why, 300)}`;
}

function printText(reports: { set: ProblemSet; report: ReferenceReport }[], out: (t: string) => void): void {
  for (const { set, report } of reports) {
    out(`${set.name}: ${report.checked} checked, ${report.passed} passed, ${report.failed} failed, ${report.withoutReference} without reference`);
    for (const f of report.failures) {
      out(`  ✗ ${f.problem} (${f.functionName}): ${f.verdict}, ${f.passed}/${f.total} tests passed`);
      for (const t of f.failedTests.slice(0, SHOWN_TESTS)) out(`      ${describeTest(t)}`);
      if (f.failedTests.length > SHOWN_TESTS) out(`      … and ${f.failedTests.length - SHOWN_TESTS} more failing tests`);
      if (f.output) out(`      output: ${clip(f.output.trim().replace(/\n/g, ' | '), 300)}`);
    }
  }
}

export const validateCommand: Command = {
  name: 'validate',
  summary: "run every problem's reference solution against its tests and report failures",
  usage: `usage: lab validate [SET...] [--tier isolated|pooled] [--timeout-ms N] [--db PATH] [--json]

Runs the reference solution of every problem in the named sets (names or ids; default: every
bundled set) against the problem's converted tests, pairs and asserts, and prints per set how many
were checked, passed, failed and had no reference, then each failure with its failing tests
(input, expected, actual, verdict).
  --tier        isolated (default: a fresh process per sample) or pooled
  --timeout-ms  wall-clock budget per test (default ${DEFAULT_TIMEOUT_MS})
Exit 0 when every reference passes, 1 when any fails (or a set is unknown), 2 on usage errors.`,
  options: { tier: { type: 'string' }, 'timeout-ms': { type: 'string' } },
  async run(args, io) {
    const tier = (args.values.tier ?? 'isolated') as Tier;
    if (!TIERS.includes(tier)) throw new UsageError(`--tier must be ${TIERS.join(' or ')}`);
    const timeoutText = args.values['timeout-ms'];
    const timeoutMs = timeoutText === undefined ? DEFAULT_TIMEOUT_MS : Number(timeoutText);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new UsageError('--timeout-ms must be a whole number of milliseconds');
    const db = await openStore(args);
    let sets: ProblemSet[];
    let problems;
    try {
      sets = args.positionals.length
        ? args.positionals.map((ref) => {
            const set = findProblemSet(db, ref);
            if (!set) throw new RefusedError(`no problem set "${ref}" (see \`lab problems\`)`);
            return set;
          })
        : listProblemSets(db).filter((s) => s.bundled).sort((a, b) => a.id - b.id); // install order: seeds first
      problems = sets.map((s) => listProblems(db, s.id));
    } finally {
      db.close();
    }
    // One zygote per core: the isolated tier forks a process per sample, so cores are the limit.
    const executor = createExecutor({ warn: (m) => io.err(m), isolatedWorkers: availableParallelism(), pooledWorkers: availableParallelism() });
    let reports: { set: ProblemSet; report: ReferenceReport }[];
    try {
      const total = problems.reduce((n, list) => n + list.length, 0);
      io.err(`validating ${total} problems of ${sets.length} sets in the ${tier} tier (sandbox: ${executor.sandbox.note})`);
      const all = await Promise.all(problems.map((list) => checkReferenceSolutions(executor, list, { tier, timeoutMs })));
      reports = sets.map((set, i) => ({ set, report: all[i]! }));
    } finally {
      await executor.close();
    }
    const failed = reports.reduce((n, r) => n + r.report.failed, 0);
    if (args.values.json) {
      io.out(JSON.stringify({
        tier,
        sandbox: executor.sandbox.kind,
        sets: reports.map(({ set, report }) => ({ set: set.name, ...report })),
        summary: {
          checked: reports.reduce((n, r) => n + r.report.checked, 0),
          passed: reports.reduce((n, r) => n + r.report.passed, 0),
          failed,
        },
      }, null, 2));
    } else {
      printText(reports, (t) => io.out(t));
    }
    return failed ? EXIT.refused : EXIT.ok;
  },
};
