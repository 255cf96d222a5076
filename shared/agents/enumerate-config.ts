import { z } from 'zod';

/** Enumeration by length has no keys of its own: it writes every program of the grammar in order. */
export const enumerateConfigSection = z.strictObject({});
