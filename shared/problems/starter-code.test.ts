import { describe, expect, it } from 'vitest';
import { moduleLevelStatements } from './starter-code.ts';

describe('moduleLevelStatements', () => {
  it('lists imports and calls beside the function header', () => {
    const code = 'import math\nfrom typing import List\n\ndef area(r):\n    """Area."""\n    pass\n\nprint(area(2))\n';
    expect(moduleLevelStatements(code, 'area')).toEqual([
      { line: 1, text: 'import math' },
      { line: 2, text: 'from typing import List' },
      { line: 8, text: 'print(area(2))' },
    ]);
  });

  it('says nothing about a bare header, its body, comments or a header over several lines', () => {
    expect(moduleLevelStatements('# helper\ndef add(a,\n        b):\n    pass\n', 'add')).toEqual([]);
    expect(moduleLevelStatements('', 'add')).toEqual([]);
  });

  it('lists another function and a decorator, which are never defined', () => {
    expect(moduleLevelStatements('@cache\ndef helper(x):\n    return x\ndef f(x):\n    pass\n', 'f')).toEqual([
      { line: 1, text: '@cache' },
      { line: 2, text: 'def helper(x):' },
    ]);
  });

  it('counts a call spread over lines once', () => {
    expect(moduleLevelStatements('setup(\n1,\n2)\ndef f():\n    pass\n', 'f')).toEqual([{ line: 1, text: 'setup(' }]);
  });
});
