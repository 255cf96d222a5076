import { describe, expect, it } from 'vitest';
import { CodeEnv } from './code-env.ts';
import { propertySignature, SIGNATURE_DIMS } from './property-signature.ts';
import { STATE_SIZE } from './state-encoding.ts';

const problem = (function_name: string, test_cases: [unknown, unknown][], parameters = ['n']) =>
  ({ function_name, docstring: 'Return a number computed from n.', parameters, test_cases, starter_code: '' }) as never;

describe('property signatures of the tests', () => {
  it('tell apart problems whose words are the same', () => {
    const negate = propertySignature(problem('f', [[3, -3], [-4, 4], [0, 0]]), 1);
    const double = propertySignature(problem('f', [[3, 6], [-4, -8], [0, 0]]), 1);
    expect(negate).toHaveLength(SIGNATURE_DIMS);
    expect([...negate]).not.toEqual([...double]);
  });

  it('are the same for the same tests in another order of words', () => {
    const a = propertySignature(problem('f', [[[1, 2], 3], [[4, 5], 9], [[0, 7], 7]], ['a', 'b']), 2);
    const b = propertySignature(Object.assign(problem('g', [[[1, 2], 3], [[4, 5], 9], [[0, 7], 7]], ['x', 'y']), { docstring: 'Add them.' }), 2);
    expect([...a]).toEqual([...b]);
  });

  it('make the signatures layout longer than the seed layout by their size, the seed layout unchanged', () => {
    const p = problem('negate', [[3, -3], [-4, 4]]);
    const seed = new CodeEnv({ problems: [p], executor: null });
    const withSignatures = new CodeEnv({ problems: [p], executor: null, stateLayout: 'signatures' });
    expect(seed.stateSize).toBe(STATE_SIZE);
    expect(withSignatures.stateSize).toBe(STATE_SIZE + SIGNATURE_DIMS);
    const a = seed.reset(0).state;
    const b = withSignatures.reset(0).state;
    expect([...b.slice(0, 256)]).toEqual([...a.slice(0, 256)]);
    expect([...b.slice(256 + SIGNATURE_DIMS)]).toEqual([...a.slice(256)]);
  });
});
