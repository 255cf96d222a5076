import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, locatePaths, MAX_DOCUMENT_DEPTH, parseJsonDocument } from './json-document.ts';

function syntaxError(text: string): JsonSyntaxError {
  try {
    parseJsonDocument(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a syntax error');
}

describe('parseJsonDocument', () => {
  it('keeps floats written with a fraction or exponent as floats', () => {
    expect(parseJsonDocument('[2.0, 1e3, 0.5, 7]')).toEqual([{ $float: '2.0' }, { $float: '1e3' }, { $float: '0.5' }, 7]);
  });

  it('keeps integers beyond 2^53 exact', () => {
    expect(parseJsonDocument('{"n": 12345678901234567890}')).toEqual({ n: { $int: '12345678901234567890' } });
  });

  it('keeps a "__proto__" key as data', () => {
    const value = parseJsonDocument('{"__proto__": {"polluted": 1}}') as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports a missing comma with its line and column', () => {
    const error = syntaxError('[\n  {"a": 1}\n  {"b": 2}\n]');
    expect(error.position).toEqual({ line: 3, column: 3 });
    expect(error.detail).toBe("expected ','");
  });

  it('refuses trailing commas and comments, which strict JSON does not allow', () => {
    expect(syntaxError('[1, 2,]').position).toEqual({ line: 1, column: 7 });
    expect(syntaxError('// note\n[1]').detail).toBe('comments are not allowed in JSON');
  });

  it('reports an unterminated string', () => {
    expect(syntaxError('{"a": "oops}').detail).toBe('unterminated string');
  });

  it('refuses a 200,000-deep array before parsing it, without overflowing the stack', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const error = syntaxError(deep);
    expect(error.detail).toBe(`nested deeper than ${MAX_DOCUMENT_DEPTH} levels`);
    expect(error.position).toEqual({ line: 1, column: MAX_DOCUMENT_DEPTH + 1 });
  });

  it('locates values by JSON path, and a missing key at its object', () => {
    const text = '{\n  "problems": [\n    {"function_name": "f",\n     "test_cases": [[1, 2], [3]]}\n  ]\n}';
    expect(locatePaths(text, [['problems', 0, 'test_cases', 1], ['problems', 0, 'docstring']])).toEqual([
      { line: 4, column: 29 },
      { line: 3, column: 5 },
    ]);
  });
});
