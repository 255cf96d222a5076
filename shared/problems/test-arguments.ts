import type { TaggedJson } from '../values/tagged-json.ts';

/**
 * The arity rule, in one place. A test case is `[input, expected]`:
 * - a function with exactly one parameter receives `input` as its only argument, whatever it is
 *   (so `find_min` with input `[3, 1, 2]` is called as `find_min([3, 1, 2])`);
 * - otherwise a list (or `{"$tuple": [...]}`) input is the positional argument list
 *   (`add` with input `[2, 3]` is called as `add(2, 3)`), and any other input is one argument.
 * The parameter count comes from the problem's `parameters`, else from the `def` line of its
 * starter code or reference solution (see inferParameters); the importer resolves it once.
 */
export function testArguments(input: TaggedJson, parameterCount: number | undefined): TaggedJson[] {
  if (parameterCount === 1) return [input];
  if (Array.isArray(input)) return input;
  if (input !== null && typeof input === 'object' && Array.isArray((input as { $tuple?: unknown }).$tuple)) {
    const keys = Object.keys(input);
    if (keys.length === 1) return (input as { $tuple: TaggedJson[] }).$tuple;
  }
  return [input];
}

/**
 * Parameter names from the `def name(...)` line in some source text, or undefined when the function
 * is not defined there or takes `*args`/`**kwargs` (then no fixed arity exists).
 */
export function parametersFromSource(source: string | undefined, functionName: string): string[] | undefined {
  if (!source) return undefined;
  const escaped = functionName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^[ \\t]*(?:async[ \\t]+)?def[ \\t]+${escaped}[ \\t]*\\(([^)]*)\\)`, 'mu').exec(source);
  if (!match) return undefined;
  const names: string[] = [];
  for (const rawPart of splitTopLevel(match[1]!)) {
    const part = rawPart.trim();
    if (part === '' || part === '/') continue;
    if (part === '*' ) break; // keyword-only parameters follow: tests pass positional arguments only
    if (part.startsWith('*')) return undefined;
    const name = /^([\p{XID_Start}_][\p{XID_Continue}]*)/u.exec(part)?.[1];
    if (!name) return undefined;
    if (part.includes('=')) break; // defaults: the required positional ones decide the arity
    names.push(name);
  }
  return names;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/** The parameters a problem declares, or those of its starter code or reference solution. */
export function inferParameters(problem: {
  function_name: string;
  parameters?: string[] | undefined;
  starter_code?: string | undefined;
  reference_solution?: string | undefined;
}): string[] | undefined {
  return (
    problem.parameters ??
    parametersFromSource(problem.starter_code, problem.function_name) ??
    parametersFromSource(problem.reference_solution, problem.function_name)
  );
}
