import { describe, expect, it } from 'vitest';
import { tokenIds } from '#shared/env/token-vocabulary.ts';
import { py } from '#shared/values/py-value.ts';
import { BINARY_OPS, PREC, precedenceOf, UNARY_OPS, type Expr } from './expression-operators.ts';

describe('precedence of an expression written as tokens', () => {
  it("is that of its loosest operator outside brackets, as Python's grammar has it", () => {
    const cases: [string, number][] = [
      ['P0', PREC.atom],
      ['P0 % 2', PREC.mul],
      ['P0 % 2 != P0', PREC.compare],
      ['not P0', PREC.not],
      ['- P0', PREC.unary],
      ['-1', PREC.unary],
      ['2 ** - P0', PREC.pow],
      ['len( P0 + 1 )', PREC.atom],
      ['P0 [ 1 : ]', PREC.atom],
      ['P0 .lower()', PREC.atom],
      ['( P0 + 1 ) * 2', PREC.mul],
      ['P0 or P1 and P0', PREC.or],
      ['P0 in P1', PREC.compare],
    ];
    expect(cases.map(([text]) => [text, precedenceOf(tokenIds(text))])).toEqual(cases);
  });

  it('agrees with the precedence every operator gives what it builds', () => {
    const value = (text: string, prec: number, id: number): Expr => ({ tokens: tokenIds(text), prec, kind: 'int', values: [py.int(1)], id });
    const operands = [value('P0', PREC.atom, 0), value('P0 + 1', PREC.add, 1), value('not P1', PREC.not, 2), value('- P0', PREC.unary, 3), value('P0 < P1', PREC.compare, 4), value('P0 ** 2', PREC.pow, 5)];
    const mismatches: string[] = [];
    for (const op of UNARY_OPS) for (const x of operands) if (precedenceOf(op.build(x).tokens) !== op.build(x).prec) mismatches.push(`${op.name} ${x.id}`);
    for (const op of BINARY_OPS) {
      for (const a of operands) for (const b of operands) if (precedenceOf(op.build(a, b).tokens) !== op.build(a, b).prec) mismatches.push(`${op.name} ${a.id} ${b.id}`);
    }
    expect(mismatches).toEqual([]);
  });
});
