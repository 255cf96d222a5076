/** Python 3 keywords (not the soft ones such as `match` or `type`, which are valid names). */
export const PYTHON_KEYWORDS: ReadonlySet<string> = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue',
  'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
  'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

// PEP 3131: identifiers start with XID_Start or '_' and continue with XID_Continue.
const IDENTIFIER = /^[\p{XID_Start}_][\p{XID_Continue}]*$/u;

/** Why `name` cannot be a Python function or parameter name, or undefined when it can. */
export function identifierProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (!IDENTIFIER.test(name)) return `"${name}" is not a valid Python identifier`;
  if (PYTHON_KEYWORDS.has(name)) return `"${name}" is a Python keyword`;
  return undefined;
}
