import { readFileSync } from 'node:fs';
import { matchOutcome } from '#shared/executor/outcome-match.ts';
import { sampleCaseFileSchema, sampleFromCase, TIERS, type SampleCase, type Tier } from '#shared/executor/sample.ts';
import type { SampleResult } from '#shared/executor/verdict.ts';
import { createExecutor } from '#lab/executor/executor.ts';
import { SandboxRefusedError } from '#lab/executor/worker-pool.ts';
import { EXIT, RefusedError, UsageError, type Command } from '../command.ts';

export interface CaseReport {
  name: string;
  /** Whether the sample as a whole passed (every test passed). */
  passed: boolean;
  /** The sample's verdict, or `refused` when no sandbox could run it. */
  outcome: string;
  tests: string[];
  passedTests: number;
  total: number;
  /** The case's expectations, when the file states them, and whether the result fits them. */
  expected?: { passed?: boolean; outcome?: string };
  matches?: boolean;
  reason?: string;
  message?: string;
}

function readCases(file: string): SampleCase[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new RefusedError(`${file}: ${(error as Error).message}`);
  }
  const parsed = sampleCaseFileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 20).map((i) => {
      const path = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
      return `${file}: cases${path}: ${i.message}`;
    });
    throw new RefusedError(lines.join('\n'));
  }
  return parsed.data;
}

function report(c: SampleCase, result: SampleResult | Error): CaseReport {
  const expected = c.expect_passed !== undefined || c.expect_outcome !== undefined
    ? { passed: c.expect_passed, outcome: c.expect_outcome } : undefined;
  if (result instanceof Error) {
    return { name: c.name, passed: false, outcome: 'refused', tests: [], passedTests: 0, total: c.test_cases.length,
      ...(expected ? { expected, matches: false, reason: result.message } : {}), message: result.message };
  }
  const base: CaseReport = {
    name: c.name,
    passed: result.verdict === 'passed',
    outcome: result.verdict,
    tests: result.tests.map((t) => t.verdict),
    passedTests: result.passed,
    total: result.total,
  };
  const firstMessage = result.tests.find((t) => t.message)?.message;
  if (firstMessage) base.message = firstMessage;
  if (!expected) return base;
  const reasons: string[] = [];
  if (c.expect_passed !== undefined && c.expect_passed !== base.passed) reasons.push(`passed is ${base.passed}, expected ${c.expect_passed}`);
  if (c.expect_outcome !== undefined) {
    const check = matchOutcome(c.expect_outcome, result);
    if (!check.matches) reasons.push(check.reason ?? 'outcome differs');
  }
  return { ...base, expected, matches: reasons.length === 0, ...(reasons.length ? { reason: reasons.join('; ') } : {}) };
}

export const runSamplesCommand: Command = {
  name: 'run-samples',
  summary: 'judge generated-code samples (the adversarial cases.json format) in the executor',
  usage: `usage: lab run-samples FILE [--tier pooled|isolated] [--timeout-ms N] [--json]

FILE is a JSON array of {name, function_name, code, test_cases: [[args, expected], ...],
expect_passed?, expect_outcome?} (see ../shared/adversarial/README.md). Prints per case: name,
passed, outcome, per-test verdicts, and whether the stated expectations hold.
  --tier        pooled (default; fast, grammar-generated code) or isolated (a fresh process per sample)
  --timeout-ms  wall-clock budget per test (default 1000)
Exit 0 when every case ran and met its expectations, 1 when the file is refused or a case missed its
expectations or was refused (no sandbox), 2 on usage errors.`,
  options: { tier: { type: 'string' }, 'timeout-ms': { type: 'string' } },
  async run(args, io) {
    const [file, ...extra] = args.positionals;
    if (!file || extra.length) throw new UsageError('name exactly one FILE');
    const tier = (args.values.tier ?? 'pooled') as Tier;
    if (!TIERS.includes(tier)) throw new UsageError(`--tier must be ${TIERS.join(' or ')}`);
    const timeoutText = args.values['timeout-ms'];
    const timeoutMs = timeoutText === undefined ? undefined : Number(timeoutText);
    if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 1)) throw new UsageError('--timeout-ms must be a whole number of milliseconds');
    const cases = readCases(String(file));
    const executor = createExecutor({ warn: (m) => io.err(m), ...(timeoutMs ? { timeoutMs } : {}) });
    let reports: CaseReport[];
    try {
      io.err(`running ${cases.length} cases in the ${tier} tier (sandbox: ${executor.sandbox.note})`);
      const results = await Promise.all(cases.map((c) =>
        executor.run(sampleFromCase(c), tier).catch((error: unknown) => {
          if (error instanceof SandboxRefusedError) return error;
          throw error;
        })));
      reports = cases.map((c, i) => report(c, results[i]!));
    } finally {
      await executor.close();
    }
    const failing = reports.filter((r) => r.matches === false || r.outcome === 'refused');
    if (args.values.json) {
      io.out(JSON.stringify({ tier, sandbox: executor.sandbox.kind, cases: reports,
        summary: { cases: reports.length, passed: reports.filter((r) => r.passed).length, unexpected: failing.length } }, null, 2));
    } else {
      const width = Math.max(...reports.map((r) => r.name.length));
      for (const r of reports) {
        const mark = r.matches === undefined ? ' ' : r.matches ? '✓' : '✗';
        io.out(`${mark} ${r.name.padEnd(width)}  ${r.passed ? 'passed' : 'failed'}  ${r.outcome.padEnd(19)} ${r.passedTests}/${r.total}  [${r.tests.join(', ')}]${r.reason ? `  -- ${r.reason}` : ''}`);
      }
      io.out(`${reports.length} cases, ${reports.filter((r) => r.passed).length} passed, ${failing.length} not as expected`);
    }
    return failing.length ? EXIT.refused : EXIT.ok;
  },
};
