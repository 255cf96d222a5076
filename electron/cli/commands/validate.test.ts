import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { problemSchema } from '#shared/problems/problem.ts';
import { createExecutor } from '#lab/executor/executor.ts';
import { openDatabase } from '#lab/store/database.ts';
import { saveProblemSet } from '#lab/store/problem-sets.ts';
import { main } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'validate-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** Assert tests are refused without a sandbox (they are dataset code), so that case needs one. */
const probe = createExecutor({ warn: () => undefined });
const sandboxed = probe.sandbox.kind !== 'none';
await probe.close();

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A database holding one set whose `add` reference subtracts (and one problem with no reference). */
function brokenSetDb(): string {
  const path = join(dir, 'broken.sqlite');
  const db = openDatabase(path);
  saveProblemSet(db, {
    name: 'broken',
    problems: [
      problemSchema.parse({
        function_name: 'add',
        docstring: 'Adds two numbers.',
        parameters: ['a', 'b'],
        test_cases: [[[2, 0], 2], [[2, 3], 5]],
        assert_tests: ['assert add(1, 1) == 2'],
        reference_solution: 'def add(a, b):\n    return a - b\n',
      }),
      problemSchema.parse({ function_name: 'nothing', docstring: 'No reference.', test_cases: [[1, 1]] }),
    ],
  });
  db.close();
  return path;
}

describe('lab validate', () => {
  it('passes the bundled seed sets (exit 0)', { timeout: 60_000 }, async () => {
    const result = await run('validate', 'seed-train', 'seed-eval', '--db', join(dir, 'seed.sqlite'), '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out) as { sets: unknown[] };
    expect(report.sets).toEqual([
      { set: 'seed-train', checked: 8, passed: 8, failed: 0, withoutReference: 0, failures: [] },
      { set: 'seed-eval', checked: 3, passed: 3, failed: 0, withoutReference: 0, failures: [] },
    ]);
  });

  it.runIf(sandboxed)('fails a set with a wrong reference and shows the failing tests (exit 1)', { timeout: 60_000 }, async () => {
    const result = await run('validate', 'broken', '--db', brokenSetDb());
    expect(result.code).toBe(1);
    expect(result.out.split('\n')).toEqual([
      'broken: 1 checked, 0 passed, 1 failed, 1 without reference',
      '  ✗ add (add): wrong_answer, 1/3 tests passed',
      '      test 2: add(2, 3) expected 5, got -1: wrong_answer',
      '      assert test 3: wrong_answer AssertionError: assertion failed',
      '        assert add(1, 1) == 2',
    ]);
  });

  it('refuses an unknown set (exit 1)', { timeout: 60_000 }, async () => {
    const result = await run('validate', 'no-such-set', '--db', join(dir, 'seed.sqlite'));
    expect([result.code, result.err]).toEqual([1, 'no problem set "no-such-set" (see `lab problems`)']);
  });
});
