import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_PROBLEMS_DIR } from '#lab/paths.ts';
import { problemSchema, type Problem } from '#shared/problems/problem.ts';

/** A bundled problem file's problems, validated (tests and the env benchmark use the seed's sets). */
export function bundledProblems(name: 'seed-train' | 'seed-eval'): Problem[] {
  const raw = JSON.parse(readFileSync(join(BUNDLED_PROBLEMS_DIR, `${name}.json`), 'utf8')) as { problems: unknown[] };
  return raw.problems.map((p) => problemSchema.parse(p));
}

/** Problems with one to three parameters of assorted types, beyond the seed's own. */
export const MIXED_PROBLEMS: Problem[] = [
  { function_name: 'count_vowels', docstring: 'Count the vowels in a string.', parameters: ['text'], test_cases: [['hello', 2], ['', 0]], starter_code: '' },
  { function_name: 'clamp', docstring: 'Clamp x into [lo, hi].', parameters: ['x', 'lo', 'hi'], test_cases: [[[5, 0, 3], 3], [[-1, 0, 3], 0]], starter_code: '' },
  { function_name: 'first', docstring: 'Return the first item of a list.', parameters: ['items'], test_cases: [[[4, 5], 4]], starter_code: '' },
  // a parameter that shadows a builtin: `list(` must be masked
  { function_name: 'head', docstring: 'Return the first n items.', parameters: ['list', 'n'], test_cases: [[[[1, 2, 3], 2], [1, 2]]], starter_code: '' },
].map((p) => problemSchema.parse(p));
