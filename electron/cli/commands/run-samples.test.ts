import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'run-samples-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), interactive: false }, out, err };
}

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const TESTS = [[[[1, 2, 3]], 6], [[[]], 0]];

describe('lab run-samples', () => {
  it('reports per case name, passed, outcome and per-test verdicts, exit 0 when all are as expected', async () => {
    const path = file('ok.json', [
      { name: 'right', function_name: 'solve', code: 'def solve(xs):\n    return sum(xs)\n', test_cases: TESTS, expect_passed: true, expect_outcome: 'passed' },
      { name: 'syntax', function_name: 'solve', code: 'def solve(xs)\n', test_cases: TESTS, expect_passed: false, expect_outcome: 'load_error' },
    ]);
    const { io, out } = capture();
    expect(await main(['run-samples', path, '--json'], io)).toBe(0);
    const report = JSON.parse(out.join('')) as { cases: { name: string; passed: boolean; outcome: string; tests: string[]; matches: boolean }[] };
    expect(report.cases.map(({ name, passed, outcome, tests, matches }) => ({ name, passed, outcome, tests, matches }))).toEqual([
      { name: 'right', passed: true, outcome: 'passed', tests: ['passed', 'passed'], matches: true },
      { name: 'syntax', passed: false, outcome: 'compile_error', tests: ['compile_error', 'compile_error'], matches: true },
    ]);
  });

  it('exits 1 when a case misses its expectation', async () => {
    const path = file('miss.json', [
      { name: 'wrong', function_name: 'solve', code: 'def solve(xs):\n    return 0\n', test_cases: TESTS, expect_passed: true, expect_outcome: 'passed' },
    ]);
    const { io, out } = capture();
    expect(await main(['run-samples', path], io)).toBe(1);
    expect(out.join('\n')).toContain('✗ wrong  failed  wrong_answer        1/2  [wrong_answer, passed]  -- passed is false, expected true; verdict wrong_answer, expected passed');
  });

  it('refuses a malformed file with the path of the error (exit 1)', async () => {
    const path = file('bad.json', [{ name: 'x', function_name: 'solve', code: '', test_cases: [[1]] }]);
    const { io, err } = capture();
    expect(await main(['run-samples', path], io)).toBe(1);
    expect(err.join('\n')).toContain(`${path}: cases[0].test_cases[0]: expected [positional_args, expected]`);
  });

  it('exits 2 on an unknown tier', async () => {
    const { io } = capture();
    expect(await main(['run-samples', 'x.json', '--tier', 'fast'], io)).toBe(2);
  });
});
