import { describe, expect, it } from 'vitest';
import { numberText } from './number-text.ts';

describe('numberText', () => {
  it('drops float noise and writes small values in exponent form', () => {
    expect(numberText(3 * 1e-4)).toBe('3e-4');
    expect(0.0001 * 3).toBe(0.00030000000000000003);
  });

  it('writes ordinary values plainly', () => {
    expect(numberText(0.99)).toBe('0.99');
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(50000)).toBe('50000');
    expect(numberText(64)).toBe('64');
    expect(numberText(-2.5)).toBe('-2.5');
  });

  it('keeps the digits a value really has', () => {
    expect(numberText(0.0005)).toBe('5e-4');
    expect(numberText(1.25e-5)).toBe('1.25e-5');
    expect(numberText(0.001)).toBe('0.001');
    expect(numberText(2e9)).toBe('2e9');
  });
});
