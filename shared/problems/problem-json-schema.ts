import { z } from 'zod';
import { problemSchema } from './problem.ts';

/** What the editor's hover says about each field (the doc comments of problem.ts, shortened). */
const DESCRIPTIONS: Record<string, string> = {
  name: 'Unique name in its set; defaults to function_name.',
  function_name: 'The entry point the candidate must define (a Python identifier).',
  docstring: 'What the function should do, in words; the agent reads it.',
  test_cases: '[input, expected] pairs in tagged JSON; input is the argument list (or the single argument).',
  starter_code: 'Template code shown to the agent (usually empty).',
  parameters: 'Parameter names in order; they decide the arity and the parameter slots.',
  reference_solution: 'A known-good solution; "Run reference" checks it against the tests.',
  difficulty: '"easy", "medium", "hard" or 1 to 10.',
  tags: 'Free-form labels.',
  tolerance: 'Float comparison tolerance, as math.isclose.',
  assert_tests: 'Python assert statements that call function_name (run in the isolated tier).',
  source: 'Where the problem came from, e.g. "HumanEval/0".',
};

type JsonSchema = Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> };

/**
 * The problem's JSON Schema, generated from the zod schema that validates problems everywhere, for
 * Monaco's JSON validation. Refinements JSON Schema cannot say (tagged values, identifier rules)
 * stay with the server's check on save.
 */
export function problemJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(problemSchema, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
  const properties = schema.properties ?? {};
  for (const [key, description] of Object.entries(DESCRIPTIONS)) {
    if (properties[key]) properties[key].description = description;
  }
  if (properties.test_cases) {
    properties.test_cases.items = { type: 'array', minItems: 2, maxItems: 2, description: '[input, expected]' };
    properties.test_cases.minItems = 0;
  }
  if (properties.function_name) properties.function_name.pattern = '^[A-Za-z_][A-Za-z0-9_]*$';
  return schema;
}
