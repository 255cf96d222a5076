import { inferParameters, testArguments } from '#shared/problems/test-arguments.ts';
import type { Problem } from '#shared/problems/problem.ts';
import { LOCAL_NAMES, TOKENS } from '#shared/env/token-vocabulary.ts';

/** A `while` loop raises after this many iterations, so a bad loop fails fast instead of timing out. */
export const WHILE_BOUND = 10_000;

export type ProblemSignature = Pick<Problem, 'function_name' | 'test_cases'> &
  Partial<Pick<Problem, 'parameters' | 'starter_code' | 'reference_solution'>>;

/**
 * The problem's parameter names: declared, or read from its starter code or reference solution,
 * else `arg0..` with the arity of its first test (through the arity rule of test-arguments.ts).
 */
export function problemParameters(problem: ProblemSignature): string[] {
  const known = inferParameters(problem);
  if (known) return known;
  const first = problem.test_cases[0];
  const count = first ? testArguments(first[0], undefined).length : 1;
  return Array.from({ length: count }, (_, i) => `arg${i}`);
}

export interface SourceNames {
  readonly functionName: string;
  readonly parameters: readonly string[];
  readonly locals: readonly string[];
  /** Counter names for while-loop guards, one per `while` in the program. */
  guard(index: number): string;
}

/** Names for slots and guards that collide with nothing the problem already names. */
export function sourceNames(problem: ProblemSignature): SourceNames {
  const parameters = problemParameters(problem);
  const taken = new Set([problem.function_name, ...parameters]);
  const fresh = (base: string) => {
    let name = base;
    for (let k = 0; taken.has(name); k++) name = `${base}_${k}`;
    taken.add(name);
    return name;
  };
  const locals = LOCAL_NAMES.map(fresh);
  const guards: string[] = [];
  return {
    functionName: problem.function_name,
    parameters,
    locals,
    guard: (i) => (guards[i] ??= fresh(`guard${i}`)),
  };
}

const isOperandEnd = (id: number | undefined) => {
  if (id === undefined) return false;
  const { kind, name } = TOKENS[id]!;
  return kind === 'param' || kind === 'local' || kind === 'const' || name === ')' || name === ']' || (kind === 'method' && name.endsWith(')'));
};
const isIntLiteral = (id: number | undefined) => id !== undefined && /^-?\d+$/.test(TOKENS[id]!.name);

/**
 * The body lines of a token sequence (without the def line), indented for a function body.
 * `guardLoops` adds the while-loop bound; the display form leaves it out. A partial sequence prints
 * its unfinished last line too.
 */
export function bodyLines(tokens: readonly number[], names: SourceNames, guardLoops: boolean): string[] {
  const lines: string[] = [];
  let indent = 1;
  let line = '';
  let prev: number | undefined;
  let glue = false; // the previous token attaches to the next one
  let brackets = 0;
  let whiles = 0;
  let pendingGuard: string | undefined;
  const pad = (n: number) => '    '.repeat(n);
  const flush = () => {
    if (line === '') return;
    if (guardLoops && line.startsWith('while ')) {
      pendingGuard = names.guard(whiles++);
      lines.push(`${pad(indent)}${pendingGuard} = 0`);
    }
    lines.push(pad(indent) + line);
    line = '';
  };
  for (const id of tokens) {
    const { kind, name } = TOKENS[id]!;
    if (kind === 'layout') {
      if (name === 'NEWLINE') flush();
      else if (name === 'INDENT') {
        indent++;
        if (pendingGuard) {
          lines.push(`${pad(indent)}${pendingGuard} += 1`);
          lines.push(`${pad(indent)}if ${pendingGuard} > ${WHILE_BOUND}: raise RuntimeError('while loop ran past ${WHILE_BOUND} iterations')`);
          pendingGuard = undefined;
        }
      } else if (name === 'DEDENT') indent--;
      prev = id;
      glue = false;
      continue;
    }
    let text = name;
    if (kind === 'param') text = names.parameters[Number(name.slice(1))] ?? name;
    else if (kind === 'local') text = names.locals[Number(name.slice(1))] ?? name;
    const operandBefore = isOperandEnd(prev);
    let attachLeft = name === ')' || name === ']' || name === ',' || name === ':' || (name === '[' && operandBefore);
    if (kind === 'method') attachLeft = !isIntLiteral(prev); // `1.lower()` would lex as a float
    if (line !== '' && !attachLeft && !glue) line += ' ';
    line += text;
    if (name === '(' || name === '[' || kind === 'builtin' || (kind === 'method' && name.endsWith('('))) brackets++;
    else if (name === ')' || name === ']') brackets--;
    glue =
      name === '(' || name === '[' || kind === 'builtin' || (kind === 'method' && name.endsWith('(')) ||
      (name === '-' && !operandBefore) || (name === ':' && brackets > 0);
    prev = id;
  }
  flush();
  return lines;
}

/** The Python source the executor runs: `def name(params):` and the body, while loops bounded. */
export function programSource(tokens: readonly number[], problem: ProblemSignature, names = sourceNames(problem)): string {
  return `def ${names.functionName}(${names.parameters.join(', ')}):\n${bodyLines(tokens, names, true).join('\n')}\n`;
}

/** The program as a person reads it (no loop guards); a partial program shows its last line. */
export function displaySource(tokens: readonly number[], problem: ProblemSignature, names = sourceNames(problem)): string {
  const body = bodyLines(tokens, names, false);
  return `def ${names.functionName}(${names.parameters.join(', ')}):${body.length ? `\n${body.join('\n')}` : ''}\n`;
}
