import type { JSONPath } from 'jsonc-parser';
import { PROBLEM_FIELDS, problemSchema, type Problem } from '#shared/problems/problem.ts';
import { moduleLevelStatements } from '#shared/problems/starter-code.ts';
import { inferParameters, testArguments } from '#shared/problems/test-arguments.ts';
import { canonicalTagged } from '#shared/values/tagged-json.ts';
import { untagNumbers } from './json-document.ts';

/** A finding about one record, by its path relative to the record. */
export interface RecordFinding {
  path: JSONPath;
  message: string;
}

export interface NormalizedProblem {
  problem?: Problem;
  errors: RecordFinding[];
  warnings: RecordFinding[];
}

const KNOWN = new Set<string>(PROBLEM_FIELDS);

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function describeParameters(parameters: string[]): string {
  return parameters.length === 0 ? 'no arguments' : `${parameters.length} arguments (${parameters.join(', ')})`;
}

/**
 * Validates a problem in our (the seed's) format and brings it to canonical form: test values in
 * canonical tagged JSON, `parameters` resolved from the starter code or reference solution when
 * the record does not list them, and each test's input checked against that arity.
 */
export function normalizeProblem(record: unknown): NormalizedProblem {
  const result: NormalizedProblem = { errors: [], warnings: [] };
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    result.errors.push({ path: [], message: 'expected a problem object' });
    return result;
  }
  for (const key of Object.keys(record)) {
    if (!KNOWN.has(key)) result.warnings.push({ path: [key], message: `unknown field "${key}" kept as it is` });
  }
  // Only test values keep exact number tags; every other field is plain JSON.
  const { test_cases: testCases, ...rest } = record as Record<string, unknown>;
  const plain = { ...(untagNumbers(rest) as object), ...(testCases === undefined ? {} : { test_cases: testCases }) };
  const parsed = problemSchema.safeParse(plain);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      const missing = path.length > 0 && valueAt(plain, path) === undefined && issue.code === 'invalid_type';
      result.errors.push({ path, message: missing ? `required field is missing (${issue.message})` : issue.message });
    }
    return result;
  }
  const problem: Problem = {
    ...parsed.data,
    test_cases: parsed.data.test_cases.map(([input, expected]) => [canonicalTagged(input), canonicalTagged(expected)]),
  };
  const parameters = inferParameters(problem);
  if (parameters) {
    problem.parameters = parameters;
    if (parameters.length !== 1) {
      problem.test_cases.forEach(([input], i) => {
        const args = testArguments(input, parameters.length);
        if (args.length === parameters.length) return;
        const got = args.length === 1 && !Array.isArray(input) ? 'a single value' : `${args.length} values`;
        result.errors.push({
          path: ['test_cases', i, 0],
          message: `${problem.function_name} takes ${describeParameters(parameters)}: expected an input list of ${parameters.length} values, got ${got}`,
        });
      });
    }
  } else if (problem.test_cases.some(([input]) => Array.isArray(input))) {
    result.warnings.push({
      path: ['function_name'],
      message:
        'parameters unknown (no "parameters" field and no def line in starter_code or reference_solution): list inputs will be passed as the argument list',
    });
  }
  const unrun = moduleLevelStatements(problem.starter_code ?? '', problem.function_name);
  if (unrun.length) {
    result.warnings.push({
      path: ['starter_code'],
      message:
        `${unrun.map((s) => `line ${s.line} "${s.text.length > 60 ? `${s.text.slice(0, 57)}...` : s.text}"`).join(', ')}: ` +
        `module-level ${unrun.length === 1 ? 'statement' : 'statements'} never executed (the lab reads only the def line of starter_code, for the parameter names; the agent writes the body)`,
    });
  }
  if (result.errors.length === 0) result.problem = problem;
  return result;
}
