import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertAssertRecords, type ConversionResult } from './assert-converter.ts';

/** An MBPP-shaped record around one-parameter `f`, so each test line exercises one assert form. */
function record(tests: string[], code = 'def f(x):\n    return x', extra: Record<string, unknown> = {}) {
  return { format: 'mbpp' as const, record: { task_id: 1, text: 'Return x.', code, test_list: tests, ...extra } };
}

async function convertOne(tests: string[], code?: string) {
  const [result] = await convertAssertRecords([record(tests, code)]);
  if (!result || 'error' in result) throw new Error(`expected a problem, got ${JSON.stringify(result)}`);
  return result;
}

describe('the safe constant evaluator', () => {
  it('evaluates pure expressions over literals to exact tagged values', async () => {
    const { problem, stats } = await convertOne([
      'assert f([1] * 3) == -5',
      'assert f(2**70) == float("inf")',
      'assert f(set([1, 2])) == tuple([1, 2])',
      'assert f({1: "a", (2, 3): None}) == list(range(3))',
      "assert f(float('nan')) == {'$x': 1}",
      'assert f(math.pi) == 1 / 4',
    ]);
    expect(stats).toEqual({ pairs: 6, asserts_kept: 0, skipped: [] });
    expect(problem.test_cases).toEqual([
      [[1, 1, 1], -5],
      [{ $int: '1180591620717411303424' }, { $float: 'inf' }],
      [{ $set: [1, 2] }, { $tuple: [1, 2] }],
      [{ $dict: [[1, 'a'], [{ $tuple: [2, 3] }, null]] }, [0, 1, 2]],
      [{ $float: 'nan' }, { $dict: [['$x', 1]] }],
      [3.141592653589793, 0.25],
    ]);
  });

  it('never runs test code: calls outside the whitelist stay asserts, unexecuted', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'lab-convert-')), 'ran');
    const { problem, stats } = await convertOne([
      `assert f(__import__('os').system('touch ${marker}')) == 0`,
      `assert f(open('${marker}', 'w').write('x')) == 1`,
      'assert f(().__class__.__base__) == 1',
    ]);
    expect(stats.asserts_kept).toBe(3);
    expect(problem.test_cases).toEqual([]);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses values too large to build and keeps their asserts', async () => {
    const { stats } = await convertOne(['assert f([0] * 10**9) == 1', 'assert f(2 ** 10 ** 10) == 1', 'assert f(list(range(10**12))) == 1', 'assert f("a" * 10**10) == 1']);
    expect(stats).toEqual({ pairs: 0, asserts_kept: 4, skipped: [] });
  });
});

describe('assert forms', () => {
  it('reads is, bare truthy, not, isnan and and-ed asserts as pairs', async () => {
    const { problem, stats } = await convertOne([
      'assert f(None) is None',
      'assert f(1)',
      'assert not f(0)',
      'assert math.isnan(f(float("nan")))',
      'assert f(2) == 2 and f(3) == 3',
      'assert 4 == f(4)',
      'assert (f(5)) == 5, "message"',
    ]);
    expect(stats.pairs).toBe(8);
    expect(problem.test_cases).toEqual([
      [null, null],
      [1, true],
      [0, false],
      [{ $float: 'nan' }, { $float: 'nan' }],
      [2, 2],
      [3, 3],
      [4, 4],
      [5, 5],
    ]);
  });

  it('keeps what is not a pair as an assert and skips what tests nothing, with reasons', async () => {
    const { problem, stats } = await convertOne(['assert f(1) != 2', 'assert sorted(f([2, 1])) == [1, 2]', 'assert True', 'assert g(1) == 1']);
    expect(problem.assert_tests).toEqual(['assert f(1) != 2', 'assert sorted(f([2, 1])) == [1, 2]']);
    expect(stats.skipped).toEqual([
      { test: 'assert True', reason: 'always true: asserts a constant' },
      { test: 'assert g(1) == 1', reason: 'does not call f' },
    ]);
  });

  it('uses the tolerance most asserts share and keeps a differing one as an assert', async () => {
    const { problem } = await convertOne([
      'assert abs(f(0.5) - 0.5) < 1e-3',
      'assert 1e-3 > abs(0.25 - f(0.25))',
      'assert math.isclose(f(2.0), 2.0, rel_tol=0.01)',
      'assert math.isclose(f(3.5), 3.5)',
    ]);
    expect(problem.tolerance).toEqual({ rel_tol: 1e-9, abs_tol: 1e-3 });
    expect(problem.test_cases).toEqual([
      [0.5, 0.5],
      [0.25, 0.25],
      [3.5, 3.5],
    ]);
    expect(problem.assert_tests).toEqual(['assert math.isclose(f(2.0), 2.0, rel_tol=0.01)']);
  });

  it('applies the arity rule: positional keywords become arguments, *args functions get argument lists', async () => {
    const two = await convertOne(['assert g(1, b=2) == 3', 'assert g(1) == 1'], 'def g(a, b=0):\n    return a + b');
    expect(two.problem.parameters).toEqual(['a', 'b']);
    expect(two.problem.test_cases).toEqual([
      [[1, 2], 3],
      [[1], 1],
    ]);
    const star = await convertOne(['assert h(1, 2) == 2', 'assert h([1]) == 1'], 'def h(*xs):\n    return len(xs)');
    expect(star.problem.parameters).toBeUndefined();
    expect(star.problem.test_cases).toEqual([
      [[1, 2], 2],
      [[[1]], 1],
    ]);
    const zero = await convertOne(['assert k() == 7'], 'def k():\n    return 7');
    expect(zero.problem.test_cases).toEqual([[[], 7]]);
  });
});

describe('convertAssertRecords', () => {
  it('answers in record order, with an error result for a record Python cannot parse', async () => {
    const results: ConversionResult[] = await convertAssertRecords([
      record(['assert f(1) == 1']),
      record(['assert f(1) == 1'], 'def f(x)\n    return x'),
      record(['assert f(2) == 2']),
    ]);
    expect(results.map((r) => ('error' in r ? r.error : r.problem.test_cases))).toEqual([
      [[1, 1]],
      'Python syntax error in the record, line 1: expected \':\'',
      [[2, 2]],
    ]);
  });

  it('streams a large batch through one process', async () => {
    const batch = Array.from({ length: 3000 }, (_, i) => record([`assert f(${i}) == ${i}`, `assert f("${'x'.repeat(500)}") == "${'x'.repeat(500)}"`]));
    const results = await convertAssertRecords(batch);
    expect(results).toHaveLength(3000);
    expect(results.every((r, i) => 'problem' in r && r.problem.test_cases[0]![0] === i)).toBe(true);
  });

  it('fails with a precise error when Python is missing', async () => {
    await expect(convertAssertRecords([record(['assert f(1) == 1'])], { python: '/nonexistent/python3' })).rejects.toThrow(
      /^converting HumanEval\/MBPP tests needs Python: Python interpreter "\/nonexistent\/python3" cannot be used: .*LAB_PYTHON/,
    );
  });

  it('does not start Python for an empty batch or one of only malformed records', async () => {
    await expect(convertAssertRecords([], { python: '/nonexistent/python3' })).resolves.toEqual([]);
    await expect(
      convertAssertRecords([{ format: 'mbpp', record: { text: 'x', code: 'def f(x): pass', test_list: 'assert f(1)' } }], { python: '/nonexistent/python3' }),
    ).resolves.toEqual([{ error: 'not a valid MBPP record: test_list: Invalid input: expected array, received string' }]);
  });
});
