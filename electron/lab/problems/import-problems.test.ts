import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatImportMessage } from '#shared/problems/import-report.ts';
import { importProblemFiles } from './import-problems.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const problem = (fields: Record<string, unknown> = {}) => ({
  function_name: 'add',
  docstring: 'Return the sum of two numbers.',
  test_cases: [[[2, 3], 5], [[0, 0], 0]],
  starter_code: '',
  ...fields,
});

async function importText(path: string, text: string | Uint8Array) {
  return importProblemFiles([{ path, bytes: typeof text === 'string' ? utf8(text) : text }]);
}

async function errorsOf(path: string, text: string | Uint8Array): Promise<string[]> {
  const outcome = await importText(path, text);
  expect(outcome.report.ok).toBe(false);
  expect(outcome.problems).toEqual([]);
  return outcome.report.errors.map(formatImportMessage);
}

describe('importProblemFiles: accepted input', () => {
  it('imports the seed format as an array of problems', async () => {
    const outcome = await importText('set.json', JSON.stringify([problem(), problem({ function_name: 'sub' })]));
    expect(outcome.report.ok).toBe(true);
    expect(outcome.report.set).toBe('set');
    expect(outcome.report.files).toEqual([
      { file: 'set.json', format: 'seed-json', problems: 2, test_pairs: 4, asserts_kept: 0, tests_skipped: 0 },
    ]);
    expect(outcome.problems.map((p) => p.function_name)).toEqual(['add', 'sub']);
  });

  it('imports the { "problems": [...] } wrapper and takes its name and description', async () => {
    const outcome = await importText('x.json', JSON.stringify({ name: 'Basics', description: 'first steps', problems: [problem()] }));
    expect(outcome.report.set).toBe('Basics');
    expect(outcome.description).toBe('first steps');
  });

  it('imports JSON Lines, one problem per line, skipping blank lines', async () => {
    const text = `${JSON.stringify(problem())}\n\n${JSON.stringify(problem({ function_name: 'mul' }))}\n`;
    const outcome = await importText('set.jsonl', text);
    expect(outcome.report.files[0]?.format).toBe('seed-jsonl');
    expect(outcome.problems.map((p) => p.function_name)).toEqual(['add', 'mul']);
  });

  it('accepts a UTF-8 byte-order mark', async () => {
    const outcome = await importText('bom.json', `\uFEFF${JSON.stringify([problem()])}`);
    expect(outcome.report.ok).toBe(true);
  });

  it('keeps unknown fields and reports them as warnings with their place', async () => {
    const outcome = await importText('w.json', '[\n  {"function_name": "f", "docstring": "d", "test_cases": [[1, 2]],\n   "author": "me"}\n]');
    expect(outcome.report.ok).toBe(true);
    expect((outcome.problems[0] as Record<string, unknown>).author).toBe('me');
    expect(outcome.report.warnings.map(formatImportMessage)).toEqual([
      'w.json:3:14: warning: [0].author: unknown field "author" kept as it is',
    ]);
  });

  it('resolves parameters from the starter code and keeps exact values', async () => {
    const text = JSON.stringify([
      problem({ function_name: 'half', starter_code: 'def half(x):\n    pass\n', test_cases: [] }),
    ]).replace('"test_cases":[]', '"test_cases":[[3, 1.5], [4, 2.0], [12345678901234567890, 6172839450617283945]]');
    const outcome = await importText('p.json', text);
    expect(outcome.problems[0]?.parameters).toEqual(['x']);
    expect(outcome.problems[0]?.test_cases).toEqual([
      [3, 1.5],
      [4, { $float: '2.0' }],
      [{ $int: '12345678901234567890' }, { $int: '6172839450617283945' }],
    ]);
  });

  it('reports module-level statements of starter code as never executed, and still imports', async () => {
    const starter = 'import math\n\ndef area(r):\n    pass\n\nprint(area(1))\n';
    const outcome = await importText('s.json', JSON.stringify([problem({ function_name: 'area', starter_code: starter, test_cases: [[1, 3.14]] })]));
    expect(outcome.report.ok).toBe(true);
    expect(outcome.report.warnings.map(formatImportMessage)).toEqual([
      's.json:1:110: warning: [0].starter_code: line 1 "import math", line 6 "print(area(1))": module-level statements never executed (the lab reads only the def line of starter_code, for the parameter names; the agent writes the body)',
    ]);
  });

  it('imports the bundled seed training set', async () => {
    const path = new URL('../../../data/problems/seed-train.json', import.meta.url);
    const outcome = await importProblemFiles([{ path: 'seed-train.json', bytes: readFileSync(path) }]);
    expect(outcome.report.ok).toBe(true);
    expect(outcome.problems.map((p) => p.function_name)).toEqual([
      'add', 'is_even', 'max_of_three', 'subtract', 'square', 'absolute_value', 'sum_list', 'is_positive',
    ]);
  });
});

describe('importProblemFiles: refused input, with the exact place', () => {
  it('gives line:column for a JSON syntax error', async () => {
    expect(await errorsOf('bad.json', '[\n  {"function_name": "f",\n   "docstring": "d"\n   "test_cases": []}\n]')).toEqual([
      "bad.json:4:4: expected ','",
    ]);
  });

  it('gives the JSON path and position of a malformed test case', async () => {
    const text = '{"problems": [\n' + [1, 2, 3].map((i) => `  {"function_name": "f${i}", "docstring": "d", "test_cases": [[1, 2]]},\n`).join('') +
      '  {"function_name": "g", "docstring": "d", "test_cases": [[1, 2], [3]]}\n]}';
    expect(await errorsOf('s.json', text)).toEqual(['s.json:5:67: problems[3].test_cases[1]: expected [input, expected]']);
  });

  it('names the line of a bad JSONL record', async () => {
    const text = `${JSON.stringify(problem())}\n${JSON.stringify(problem({ function_name: 'b', docstring: 7 }))}\n{"oops"\n`;
    expect(await errorsOf('s.jsonl', text)).toEqual([
      's.jsonl:2:34: docstring: expected a string',
      "s.jsonl:3:8: expected ':'",
    ]);
  });

  it('refuses a function name that is a keyword or not an identifier', async () => {
    const errors = await errorsOf('k.json', JSON.stringify([problem({ function_name: 'class' }), problem({ function_name: '2fast' })]));
    expect(errors).toEqual([
      'k.json:1:19: [0].function_name: "class" is a Python keyword',
      'k.json:1:143: [1].function_name: "2fast" is not a valid Python identifier',
    ]);
  });

  it('refuses duplicate names, pointing at both', async () => {
    const errors = await errorsOf('d.json', `[\n${JSON.stringify(problem())},\n${JSON.stringify(problem())}\n]`);
    expect(errors).toEqual([
      'd.json:3:1: [1]: duplicate problem name "add" (first defined at d.json:2:1); names must be unique in a set (add a distinct "name" field)',
    ]);
  });

  it('refuses a test input that does not fit the parameters', async () => {
    const errors = await errorsOf('a.json', JSON.stringify([problem({ parameters: ['a', 'b'], test_cases: [[[1, 2, 3], 6], [5, 5]] })]));
    expect(errors).toEqual([
      'a.json:1:85: [0].test_cases[0][0]: add takes 2 arguments (a, b): expected an input list of 2 values, got 3 values',
      'a.json:1:97: [0].test_cases[1][0]: add takes 2 arguments (a, b): expected an input list of 2 values, got a single value',
    ]);
  });

  it('refuses a bad tagged value down to its own path', async () => {
    const errors = await errorsOf('t.json', JSON.stringify([problem({ test_cases: [[[1, 2], { $float: 'abc' }]] })]));
    expect(errors).toEqual(['t.json:1:101: [0].test_cases[0][1].$float: "abc" is not a float']);
  });

  it('refuses empty files, empty arrays and files of blank lines', async () => {
    expect(await errorsOf('e.json', '')).toEqual(['e.json: the file is empty']);
    expect(await errorsOf('e.json', '  \n')).toEqual(['e.json: the file is empty']);
    expect(await errorsOf('e.json', '[]')).toEqual(['e.json:1:1: the file holds no problems (the list is empty)']);
    expect(await errorsOf('e.json', '{"problems": []}')).toEqual(['e.json:1:14: the file holds no problems (the list is empty)']);
  });

  it('refuses invalid UTF-8 with its line', async () => {
    const bytes = new Uint8Array([...utf8('[\n{"function_name": "f", "docstring": "caf'), 0xc3, 0x28, ...utf8('"}]')]);
    expect(await errorsOf('u.json', bytes)).toEqual(['u.json:2:41: invalid UTF-8 (save the file as UTF-8)']);
  });

  it('refuses a 200,000-deep nested array cleanly', async () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(await errorsOf('deep.json', deep)).toEqual(['deep.json:1:101: nested deeper than 100 levels']);
  });

  it('refuses a record in no known format', async () => {
    expect(await errorsOf('n.json', '[{"title": "x"}]')).toEqual([
      'n.json:1:2: [0]: not a problem: expected "function_name" (seed format), "prompt"/"test"/"entry_point" (HumanEval) or "text"/"code"/"test_list" (MBPP)',
    ]);
  });

  it('lists every error but stores nothing when one problem of many is bad', async () => {
    const problems = Array.from({ length: 300 }, (_, i) => problem({ function_name: `f${i}`, docstring: i % 2 ? 1 : 'ok' }));
    const outcome = await importText('many.json', JSON.stringify(problems));
    expect(outcome.problems).toEqual([]);
    expect(outcome.report.error_count).toBe(150);
    expect(outcome.report.errors).toHaveLength(100);
  });
});
