/**
 * A number as people write it in a config: the shortest text that reads back as the value once
 * float noise is dropped (12 significant digits), in exponent form for very small or very large
 * magnitudes. 0.00030000000000000003 (3 * 1e-4 in floating point) prints as 3e-4, 0.99 as 0.99,
 * 50000 as 50000.
 */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const clean = Number(value.toPrecision(12));
  const abs = Math.abs(clean);
  if (abs < 1e-3 || abs >= 1e7) return clean.toExponential().replace('e+', 'e');
  return String(clean);
}
