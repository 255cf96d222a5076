import { z } from 'zod';

/** A number in [min, max] whose error names the range (config keys of every section). */
export const num = (min: number, max: number) => z.number({ error: `expected a number from ${min} to ${max}` }).min(min).max(max);

/** A whole number in [min, max] whose error names the range. */
export const int = (min: number, max: number) =>
  z.number({ error: `expected a whole number from ${min} to ${max}` }).int().min(min).max(max);
