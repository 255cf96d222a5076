import { describe, expect, it } from 'vitest';
import { programSource } from '#lab/env/program-source.ts';
import { TOKENS, tokenIds } from '#shared/env/token-vocabulary.ts';
import { problemSchema } from '#shared/problems/problem.ts';
import { py, type PyValue } from '#shared/values/py-value.ts';
import { kindOf, PREC, type Expr } from './expression-operators.ts';
import { predictedSolutions, truthy, type ElementValue } from './loop-sketches.ts';

const problem = problemSchema.parse({ function_name: 'f', docstring: '', parameters: ['n'], test_cases: [[4, false], [5, true], [9, false]] });
const source = (program: readonly number[]) => programSource(program, problem).split('\n').slice(1).join('\n').trim();

let ids = 0;
const programText = (v: ElementValue) => v.tokens.map((t) => TOKENS[t]!.name).join(' ');
/** A value of the loop variable (L1) and `n`, given per test and element. */
function element(text: string, rows: PyValue[][], readsLoop = true, op = 'atom'): ElementValue {
  const values = rows.flat();
  return { tokens: tokenIds(text), prec: PREC.atom, rows, values, kind: kindOf(values), id: ids++, weight: 1, readsLoop, op };
}
function oneLine(text: string, values: PyValue[]): Expr {
  return { tokens: tokenIds(text), prec: PREC.atom, values, kind: kindOf(values), id: ids++ };
}

// `for x in range(2, n)` on n = 4, 5, 9.
const iterable = tokenIds('range( 2 , P0 )');
const elements = [[2, 3], [2, 3, 4], [2, 3, 4, 5, 6, 7, 8]].map((r) => r.map(py.int));
const loopVariable = element('L1', elements);
const remainder = element('P0 % L1', [[0, 1], [1, 2, 1], [1, 0, 1, 4, 3, 2, 1]].map((r) => r.map(py.int)), true, '%');
const falseAtom = element('False', elements.map((r) => r.map(() => py.bool(false))), false);
const trueAtom = element('True', elements.map((r) => r.map(() => py.bool(true))), false);
const values = [loopVariable, remainder, falseAtom, trueAtom];

describe('loop sketches', () => {
  it('predicts an early-return loop from the values of its condition, its exit and a fallback', () => {
    const expected = [false, true, false].map(py.bool);
    const { programs } = predictedSolutions({ iterable, expected, values, fresh: new Set(values), fallbacks: [oneLine('True', [true, true, true].map(py.bool))] });
    expect(programs.map(source)).toContain('for v0 in range(2, n):\n        if not n % v0:\n            return False\n    return True');
    // An exit of 0 where False is expected is not taken (Python's == would accept it).
    expect(programs.map(source).some((s) => s.includes('return 0'))).toBe(false);
  });

  it('leaves the loop open, naming the tests its fallback must pass, when no short known value fits them', () => {
    const expected = [false, true, false].map(py.bool);
    const { programs, open } = predictedSolutions({ iterable, expected, values, fresh: new Set(values), fallbacks: [] });
    expect(programs).toEqual([]);
    const divisor = open.find((f) => source(f.program([])).includes('if not n % v0'))!;
    expect(divisor.tests).toEqual([1]);
    expect(source(divisor.program(tokenIds('True')))).toBe('for v0 in range(2, n):\n        if not n % v0:\n            return False\n    return True');
  });

  it('predicts the list of the values at the elements a condition holds at', () => {
    const expected = [py.list(py.int(2)), py.list(), py.list(py.int(3))];
    const { programs } = predictedSolutions({ iterable, expected, values, fresh: new Set(values), fallbacks: [] });
    expect(programs.map(source)).toContain('v0 = []\n    for v1 in range(2, n):\n        if not n % v1:\n            v0.append(v1)\n    return v0');
  });

  it('predicts a count and a sum', () => {
    const counted = predictedSolutions({ iterable, expected: [1, 3, 6].map(py.int), values: [...values, element('1', elements.map((r) => r.map(() => py.int(1))), false)], fresh: new Set(values), fallbacks: [] });
    expect(counted.programs.map(source)).toContain('v0 = 0\n    for v1 in range(2, n):\n        if n % v1:\n            v0 += 1\n    return v0');
    const summed = predictedSolutions({ iterable, expected: [5, 9, 35].map(py.int), values, fresh: new Set(values), fallbacks: [] });
    expect(summed.programs.map(source)).toContain('v0 = 0\n    for v1 in range(2, n):\n        v0 += v1\n    return v0');
  });

  it('returns nothing after a loop that exits on every test', () => {
    // The smallest divisor from 2, on n = 4 and 9 (both have one).
    const firstAndLast = (v: ElementValue) => element(programText(v), [v.rows[0]! as PyValue[], v.rows[2]! as PyValue[]], v.readsLoop, v.op);
    const twoTests = [loopVariable, remainder, falseAtom].map(firstAndLast);
    const { programs } = predictedSolutions({ iterable, expected: [2, 3].map(py.int), values: twoTests, fresh: new Set(twoTests), fallbacks: [] });
    expect(programs.map(source)).toContain('for v0 in range(2, n):\n        if not n % v0:\n            return v0');
  });

  it('branches only on true/false values and remainders', () => {
    // Truthy on 4 and 9, never on 5: `if n // x: return False` would fit the tests; it is never tried.
    const quotient = element('P0 // L1', [[1, 0], [0, 0, 0], [0, 2, 0, 0, 0, 0, 0]].map((r) => r.map(py.int)), true, '//');
    const expected = [false, true, false].map(py.bool);
    const { programs, open } = predictedSolutions({ iterable, expected, values: [loopVariable, quotient, falseAtom, trueAtom], fresh: new Set([quotient]), fallbacks: [] });
    expect([...programs, ...open.map((f) => f.program([]))].map(source).filter((s) => s.includes('//'))).toEqual([]);
  });

  it('tries only combinations with a fresh value', () => {
    const expected = [false, true, false].map(py.bool);
    const { programs } = predictedSolutions({ iterable, expected, values, fresh: new Set([loopVariable]), fallbacks: [oneLine('True', [true, true, true].map(py.bool))] });
    expect(programs.map(source).some((s) => s.includes('n % v0'))).toBe(false);
  });

  it("reads Python's truth values", () => {
    expect([py.int(0), py.str(''), py.list(), py.none, py.float(0), py.bool(false)].map(truthy)).toEqual([false, false, false, false, false, false]);
    expect([py.int(-1), py.str('a'), py.list(py.none), py.float(0.5), py.bool(true)].map(truthy)).toEqual([true, true, true, true, true]);
  });
});
