import { describe, expect, it } from 'vitest';
import { convertAssertRecords, isHumanEvalRecord, type ConversionResult } from './assert-converter.ts';

// Real records from ../shared/datasets/HumanEval.jsonl.gz (openai/human-eval, MIT), unmodified.
const HUMANEVAL_0 = {
  "task_id": "HumanEval/0",
  "prompt": "from typing import List\n\n\ndef has_close_elements(numbers: List[float], threshold: float) -> bool:\n    \"\"\" Check if in given list of numbers, are any two numbers closer to each other than\n    given threshold.\n    >>> has_close_elements([1.0, 2.0, 3.0], 0.5)\n    False\n    >>> has_close_elements([1.0, 2.8, 3.0, 4.0, 5.0, 2.0], 0.3)\n    True\n    \"\"\"\n",
  "entry_point": "has_close_elements",
  "canonical_solution": "    for idx, elem in enumerate(numbers):\n        for idx2, elem2 in enumerate(numbers):\n            if idx != idx2:\n                distance = abs(elem - elem2)\n                if distance < threshold:\n                    return True\n\n    return False\n",
  "test": "\n\nMETADATA = {\n    'author': 'jt',\n    'dataset': 'test'\n}\n\n\ndef check(candidate):\n    assert candidate([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.3) == True\n    assert candidate([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.05) == False\n    assert candidate([1.0, 2.0, 5.9, 4.0, 5.0], 0.95) == True\n    assert candidate([1.0, 2.0, 5.9, 4.0, 5.0], 0.8) == False\n    assert candidate([1.0, 2.0, 3.0, 4.0, 5.0, 2.0], 0.1) == True\n    assert candidate([1.1, 2.2, 3.1, 4.1, 5.1], 1.0) == True\n    assert candidate([1.1, 2.2, 3.1, 4.1, 5.1], 0.5) == False\n\n"
};
const HUMANEVAL_2 = {
  "task_id": "HumanEval/2",
  "prompt": "\n\ndef truncate_number(number: float) -> float:\n    \"\"\" Given a positive floating point number, it can be decomposed into\n    and integer part (largest integer smaller than given number) and decimals\n    (leftover part always smaller than 1).\n\n    Return the decimal part of the number.\n    >>> truncate_number(3.5)\n    0.5\n    \"\"\"\n",
  "entry_point": "truncate_number",
  "canonical_solution": "    return number % 1.0\n",
  "test": "\n\nMETADATA = {\n    'author': 'jt',\n    'dataset': 'test'\n}\n\n\ndef check(candidate):\n    assert candidate(3.5) == 0.5\n    assert abs(candidate(1.33) - 0.33) < 1e-6\n    assert abs(candidate(123.456) - 0.456) < 1e-6\n"
};
const HUMANEVAL_44 = {
  "task_id": "HumanEval/44",
  "prompt": "\n\ndef change_base(x: int, base: int):\n    \"\"\"Change numerical base of input number x to base.\n    return string representation after the conversion.\n    base numbers are less than 10.\n    >>> change_base(8, 3)\n    '22'\n    >>> change_base(8, 2)\n    '1000'\n    >>> change_base(7, 2)\n    '111'\n    \"\"\"\n",
  "entry_point": "change_base",
  "canonical_solution": "    ret = \"\"\n    while x > 0:\n        ret = str(x % base) + ret\n        x //= base\n    return ret\n",
  "test": "\n\nMETADATA = {}\n\n\ndef check(candidate):\n    assert candidate(8, 3) == \"22\"\n    assert candidate(9, 3) == \"100\"\n    assert candidate(234, 2) == \"11101010\"\n    assert candidate(16, 2) == \"10000\"\n    assert candidate(8, 2) == \"1000\"\n    assert candidate(7, 2) == \"111\"\n    for x in range(2, 8):\n        assert candidate(x, x + 1) == str(x)\n\n"
};
const HUMANEVAL_53 = {
  "task_id": "HumanEval/53",
  "prompt": "\n\ndef add(x: int, y: int):\n    \"\"\"Add two numbers x and y\n    >>> add(2, 3)\n    5\n    >>> add(5, 7)\n    12\n    \"\"\"\n",
  "entry_point": "add",
  "canonical_solution": "    return x + y\n",
  "test": "\n\nMETADATA = {}\n\n\ndef check(candidate):\n    import random\n\n    assert candidate(0, 1) == 1\n    assert candidate(1, 0) == 1\n    assert candidate(2, 3) == 5\n    assert candidate(5, 7) == 12\n    assert candidate(7, 5) == 12\n\n    for i in range(100):\n        x, y = random.randint(0, 1000), random.randint(0, 1000)\n        assert candidate(x, y) == x + y\n\n"
};

function converted(result: ConversionResult | undefined) {
  if (!result || 'error' in result) throw new Error(`expected a problem, got ${JSON.stringify(result)}`);
  return result;
}

describe('HumanEval records', () => {
  it('are recognised by their distinctive keys', () => {
    expect(isHumanEvalRecord(HUMANEVAL_0)).toBe(true);
    expect(isHumanEvalRecord({ text: 'x', code: '', test_list: [] })).toBe(false);
    expect(isHumanEvalRecord([HUMANEVAL_0])).toBe(false);
  });

  it('turns every check(candidate) assert of HumanEval/0 into a pair', async () => {
    const [result] = await convertAssertRecords([{ format: 'humaneval', record: HUMANEVAL_0 }]);
    const { problem, stats } = converted(result);
    expect(problem.function_name).toBe('has_close_elements');
    expect(problem.name).toBe('HumanEval/0'); // HumanEval reuses function names across tasks
    expect(problem.parameters).toEqual(['numbers', 'threshold']);
    expect(problem.source).toBe('HumanEval/0');
    expect(problem.docstring.startsWith('Check if in given list of numbers, are any two numbers closer')).toBe(true);
    expect(problem.starter_code).toBe(HUMANEVAL_0.prompt);
    expect(problem.reference_solution).toBe(HUMANEVAL_0.prompt + HUMANEVAL_0.canonical_solution);
    expect(stats).toEqual({ pairs: 7, asserts_kept: 0, skipped: [] });
    expect(problem.test_cases.map(([, expected]) => expected)).toEqual([true, false, true, false, true, true, false]);
    // Two parameters: the input is the argument list; integral floats stay floats.
    expect(problem.test_cases[0]![0]).toEqual([[{ $float: '1.0' }, { $float: '2.0' }, 3.9, { $float: '4.0' }, { $float: '5.0' }, 2.2], 0.3]);
    expect(problem.assert_tests).toBeUndefined();
    expect(problem.tolerance).toBeUndefined();
  });

  it('reads abs(f(x) - y) < tol as a pair and sets the problem tolerance', async () => {
    const { problem, stats } = converted((await convertAssertRecords([{ format: 'humaneval', record: HUMANEVAL_2 }]))[0]);
    expect(problem.parameters).toEqual(['number']);
    // One parameter: the input is the argument itself.
    expect(problem.test_cases).toEqual([
      [3.5, 0.5],
      [1.33, 0.33],
      [123.456, 0.456],
    ]);
    expect(problem.tolerance).toEqual({ rel_tol: 1e-9, abs_tol: 1e-6 });
    expect(stats.pairs).toBe(3);
  });

  it('unrolls a loop over constants into pairs', async () => {
    const { problem, stats } = converted((await convertAssertRecords([{ format: 'humaneval', record: HUMANEVAL_44 }]))[0]);
    expect(stats).toEqual({ pairs: 12, asserts_kept: 0, skipped: [] });
    expect(problem.test_cases.slice(6)).toEqual([
      [[2, 3], '2'],
      [[3, 4], '3'],
      [[4, 5], '4'],
      [[5, 6], '5'],
      [[6, 7], '6'],
      [[7, 8], '7'],
    ]);
  });

  it('keeps a loop over random inputs as an assert-style test that calls the entry point', async () => {
    const { problem, stats } = converted((await convertAssertRecords([{ format: 'humaneval', record: HUMANEVAL_53 }]))[0]);
    expect(stats).toEqual({ pairs: 5, asserts_kept: 1, skipped: [] });
    expect(problem.test_cases[0]).toEqual([[0, 1], 1]);
    const [kept] = problem.assert_tests ?? [];
    // The prompt's own def is not repeated (it would replace the candidate's add with a stub).
    expect(kept).not.toMatch(/def add/);
    expect(kept).toContain('candidate = add\nimport random\nfor i in range(100):');
    expect(kept).toContain('assert candidate(x, y) == x + y');
  });

  it('reports `assert True` as skipped, never silently', async () => {
    const record = { ...HUMANEVAL_0, test: `${HUMANEVAL_0.test}    assert True, "This prints if this assert fails"\n` };
    const { stats } = converted((await convertAssertRecords([{ format: 'humaneval', record }]))[0]);
    expect(stats.pairs).toBe(7);
    expect(stats.skipped).toEqual([
      { test: 'assert True, "This prints if this assert fails"', reason: 'always true: asserts a constant' },
    ]);
  });

  it('answers a record that is not a HumanEval record with an error naming the field', async () => {
    const results = await convertAssertRecords([
      { format: 'humaneval', record: { ...HUMANEVAL_0, test: 42 } },
      { format: 'humaneval', record: { ...HUMANEVAL_0, entry_point: 'missing_function' } },
      { format: 'humaneval', record: HUMANEVAL_2 },
    ]);
    expect(results[0]).toEqual({ error: 'not a valid HumanEval record: test: Invalid input: expected string, received number' });
    expect(results[1]).toEqual({ error: 'the prompt does not define missing_function' });
    expect(converted(results[2]).problem.function_name).toBe('truncate_number');
  });
});
