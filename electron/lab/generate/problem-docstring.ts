import type { TaggedJson } from '#shared/values/tagged-json.ts';
import type { ArgType } from './input-generator.ts';

const TYPE_WORDS: Record<ArgType, string> = { int: 'integer', bool: 'boolean', ints: 'list of integers', nonempty: 'non-empty list of integers', str: 'string' };

/** What the outputs are, in words: the kind all of them share, else "a value". */
function outputWords(outputs: readonly TaggedJson[]): string {
  const kind = (v: TaggedJson) =>
    typeof v === 'boolean' ? 'True or False' : typeof v === 'number' ? (Number.isInteger(v) ? 'an integer' : 'a number') : typeof v === 'string' ? 'a string' : Array.isArray(v) ? 'a list' : v && typeof v === 'object' && '$float' in v ? 'a number' : 'a value';
  const kinds = new Set(outputs.map(kind));
  if (kinds.size === 1) return [...kinds][0]!;
  if ([...kinds].every((k) => k === 'an integer' || k === 'a number')) return 'a number';
  return 'a value';
}

/**
 * A generated problem's docstring: a template over its parameter types and output kind. It says
 * nothing of the program (the tests are the specification), only the words a real docstring of
 * that shape would use, so the docstring part of the state is not blank for generated problems.
 */
export function docstringFor(types: readonly ArgType[], parameters: readonly string[], outputs: readonly TaggedJson[]): string {
  const inputs = parameters.map((p, i) => `the ${TYPE_WORDS[types[i]!]} ${p}`);
  const joined = inputs.length === 1 ? inputs[0]! : `${inputs.slice(0, -1).join(', ')} and ${inputs[inputs.length - 1]!}`;
  return `Return ${outputWords(outputs)} computed from ${joined}.`;
}
