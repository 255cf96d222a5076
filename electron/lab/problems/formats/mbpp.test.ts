import { describe, expect, it } from 'vitest';
import { convertAssertRecords, isMbppRecord, type ConversionResult } from './assert-converter.ts';

// Real records from ../shared/datasets/mbpp.jsonl (google-research MBPP, CC-BY-4.0), unmodified.
const MBPP_11 = {
  "text": "Write a python function to remove first and last occurrence of a given character from the string.",
  "code": "def remove_Occ(s,ch): \r\n    for i in range(len(s)): \r\n        if (s[i] == ch): \r\n            s = s[0 : i] + s[i + 1:] \r\n            break\r\n    for i in range(len(s) - 1,-1,-1):  \r\n        if (s[i] == ch): \r\n            s = s[0 : i] + s[i + 1:] \r\n            break\r\n    return s ",
  "task_id": 11,
  "test_setup_code": "",
  "test_list": [
    "assert remove_Occ(\"hello\",\"l\") == \"heo\"",
    "assert remove_Occ(\"abcda\",\"a\") == \"bcd\"",
    "assert remove_Occ(\"PHP\",\"P\") == \"H\""
  ],
  "challenge_test_list": [
    "assert remove_Occ(\"hellolloll\",\"l\") == \"helollol\"",
    "assert remove_Occ(\"\",\"l\") == \"\""
  ]
};
const MBPP_367 = {
  "text": "Write a function to check if a binary tree is balanced or not.",
  "code": "class Node: \r\n\tdef __init__(self, data): \r\n\t\tself.data = data \r\n\t\tself.left = None\r\n\t\tself.right = None\r\ndef get_height(root): \r\n\tif root is None: \r\n\t\treturn 0\r\n\treturn max(get_height(root.left), get_height(root.right)) + 1\r\ndef is_tree_balanced(root): \r\n\tif root is None: \r\n\t\treturn True\r\n\tlh = get_height(root.left) \r\n\trh = get_height(root.right) \r\n\tif (abs(lh - rh) <= 1) and is_tree_balanced( \r\n\troot.left) is True and is_tree_balanced( root.right) is True: \r\n\t\treturn True\r\n\treturn False",
  "task_id": 367,
  "test_setup_code": "root = Node(1) \r\nroot.left = Node(2) \r\nroot.right = Node(3) \r\nroot.left.left = Node(4) \r\nroot.left.right = Node(5) \r\nroot.left.left.left = Node(8) \r\nroot1 = Node(1) \r\nroot1.left = Node(2) \r\nroot1.right = Node(3) \r\nroot1.left.left = Node(4) \r\nroot1.left.right = Node(5) \r\nroot1.right.left = Node(6) \r\nroot1.left.left.left = Node(7)\r\nroot2 = Node(1) \r\nroot2.left = Node(2) \r\nroot2.right = Node(3) \r\nroot2.left.left = Node(4) \r\nroot2.left.right = Node(5)\r\nroot2.left.left.left = Node(7)",
  "test_list": [
    "assert is_tree_balanced(root) == False",
    "assert is_tree_balanced(root1) == True",
    "assert is_tree_balanced(root2) == False "
  ],
  "challenge_test_list": []
};
const MBPP_533 = {
  "text": "Write a function to remove particular data type elements from the given tuple.",
  "code": "def remove_datatype(test_tuple, data_type):\r\n  res = []\r\n  for ele in test_tuple:\r\n    if not isinstance(ele, data_type):\r\n      res.append(ele)\r\n  return (res) ",
  "task_id": 533,
  "test_setup_code": "",
  "test_list": [
    "assert remove_datatype((4, 5, 4, 7.7, 1.2), int) == [7.7, 1.2]",
    "assert remove_datatype((7, 8, 9, \"SR\"), str) == [7, 8, 9]",
    "assert remove_datatype((7, 1.1, 2, 2.2), float) == [7, 2]"
  ],
  "challenge_test_list": []
};

function converted(result: ConversionResult | undefined) {
  if (!result || 'error' in result) throw new Error(`expected a problem, got ${JSON.stringify(result)}`);
  return result;
}

describe('MBPP records', () => {
  it('are recognised by their distinctive keys', () => {
    expect(isMbppRecord(MBPP_11)).toBe(true);
    expect(isMbppRecord({ prompt: '', test: '', entry_point: 'f' })).toBe(false);
    expect(isMbppRecord(null)).toBe(false);
  });

  it('find the function in the reference code and convert test_list and challenge_test_list', async () => {
    const { problem, stats } = converted((await convertAssertRecords([{ format: 'mbpp', record: MBPP_11 }]))[0]);
    expect(problem).toMatchObject({
      function_name: 'remove_Occ',
      docstring: 'Write a python function to remove first and last occurrence of a given character from the string.',
      parameters: ['s', 'ch'],
      source: 'mbpp/11',
      reference_solution: MBPP_11.code.replaceAll('\r\n', '\n'),
    });
    expect(problem.starter_code).toBe(`def remove_Occ(s, ch):\n    """${MBPP_11.text}"""\n`);
    expect(problem.test_cases).toEqual([
      [['hello', 'l'], 'heo'],
      [['abcda', 'a'], 'bcd'],
      [['PHP', 'P'], 'H'],
      [['hellolloll', 'l'], 'helollol'],
      [['', 'l'], ''],
    ]);
    expect(stats).toEqual({ pairs: 5, asserts_kept: 0, skipped: [] });
  });

  it('keep tests that need test_setup_code as asserts, with the setup and the classes it uses', async () => {
    const { problem, stats } = converted((await convertAssertRecords([{ format: 'mbpp', record: MBPP_367 }]))[0]);
    expect(stats).toEqual({ pairs: 0, asserts_kept: 3, skipped: [] });
    expect(problem.test_cases).toEqual([]);
    const kept = problem.assert_tests ?? [];
    expect(kept.map((snippet) => snippet.split('\n').at(-1))).toEqual([
      'assert is_tree_balanced(root) == False',
      'assert is_tree_balanced(root1) == True',
      'assert is_tree_balanced(root2) == False',
    ]);
    for (const snippet of kept) {
      expect(snippet.startsWith('class Node: \n')).toBe(true);
      expect(snippet).toContain('root2.left.left.left = Node(7)\nassert');
    }
    expect(problem.starter_code).toMatch(/^class Node: \n[^]*\ndef is_tree_balanced\(root\):\n/);
  });

  it('keep asserts whose arguments have no tagged-JSON form (types) instead of dropping them', async () => {
    const { problem, stats } = converted((await convertAssertRecords([{ format: 'mbpp', record: MBPP_533 }]))[0]);
    expect(stats).toEqual({ pairs: 0, asserts_kept: 3, skipped: [] });
    expect(problem.assert_tests).toEqual(MBPP_533.test_list);
  });

  it('answer an error when the reference code defines none of the called functions', async () => {
    const [result] = await convertAssertRecords([{ format: 'mbpp', record: { ...MBPP_11, code: 'def other(s, ch):\n    return s' } }]);
    expect(result).toEqual({ error: 'the reference code defines none of the functions its tests call (remove_Occ)' });
  });
});
