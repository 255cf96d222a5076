import { describe, expect, it } from 'vitest';
import { problemJsonSchema } from './problem-json-schema.ts';

describe('the problem JSON schema for the editor', () => {
  it('is generated from the zod schema, with the fields, requirements and pair shape', () => {
    const schema = problemJsonSchema();
    expect(schema.required).toEqual(['function_name', 'docstring', 'test_cases']);
    expect(Object.keys(schema.properties ?? {})).toContain('reference_solution');
    expect(schema.properties?.test_cases?.items).toEqual({ type: 'array', minItems: 2, maxItems: 2, description: '[input, expected]' });
    expect(schema.properties?.difficulty).toMatchObject({ anyOf: [{ enum: ['easy', 'medium', 'hard'] }, { type: 'integer', minimum: 1, maximum: 10 }] });
  });
});
