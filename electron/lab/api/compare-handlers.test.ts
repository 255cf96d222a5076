import { describe, expect, it } from 'vitest';
import { digits } from './compare-handlers.ts';

describe('digits (bucket values on the wire)', () => {
  it('keeps 7 significant digits and prints them as written', () => {
    expect(String(digits(0.30000000000000004))).toBe('0.3');
    expect(String(digits(-0.0001234567891))).toBe('-0.0001234568');
    expect(digits(123456789.123)).toBe(123456800);
  });

  it('leaves integers, infinities and extreme magnitudes as toPrecision would', () => {
    expect(digits(42)).toBe(42);
    expect(digits(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(digits(1.23456789e-30)).toBe(1.234568e-30);
  });
});
