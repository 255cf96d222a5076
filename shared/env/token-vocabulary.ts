/**
 * The code environment's action vocabulary, in action-id order. It lives in shared/ so the replay
 * view can show a stored action id as text without importing the engine. Ids are stable: stored
 * episodes refer to them, so new tokens are appended, never inserted (see docs/grammar.md).
 */

/** What a token does in the grammar; the mask rules and the source printer branch on it. */
export type TokenKind =
  | 'layout' // NEWLINE INDENT DEDENT END
  | 'punct' // : , ( ) [ ]
  | 'keyword' // return if elif else for while break continue in
  | 'assign' // = += -= ...
  | 'arith' // + - * / // % **
  | 'compare' // == != < <= > >=
  | 'logic' // and or not
  | 'const' // 0 1 2 3 10 -1 True False None ''
  | 'builtin' // abs( len( ...: a call, the token includes its '('
  | 'method' // .count( ... (takes arguments) or .lower() (complete)
  | 'param' // P0..P4: the problem's own parameter names
  | 'local'; // L0..L3: local variables

export interface TokenInfo {
  readonly name: string;
  readonly kind: TokenKind;
}

const group = (kind: TokenKind, names: readonly string[]): TokenInfo[] => names.map((name) => ({ name, kind }));

/** How many parameter and local-variable slots the grammar has. */
export const PARAM_SLOTS = 5;
export const LOCAL_SLOTS = 4;

export const TOKENS: readonly TokenInfo[] = [
  ...group('layout', ['NEWLINE', 'INDENT', 'DEDENT', 'END']),
  ...group('punct', [':', ',', '(', ')', '[', ']']),
  ...group('keyword', ['return', 'if', 'elif', 'else', 'for', 'while', 'break', 'continue', 'in']),
  ...group('assign', ['=', '+=', '-=', '*=', '//=', '%=']),
  ...group('arith', ['+', '-', '*', '/', '//', '%', '**']),
  ...group('compare', ['==', '!=', '<', '<=', '>', '>=']),
  ...group('logic', ['and', 'or', 'not']),
  ...group('const', ['0', '1', '2', '3', '10', '-1', 'True', 'False', 'None', "''"]),
  ...group('builtin', [
    'abs(', 'len(', 'sum(', 'min(', 'max(', 'sorted(', 'range(', 'int(', 'str(',
    'bool(', 'list(', 'any(', 'all(', 'round(', 'float(', 'set(', 'reversed(',
  ]),
  ...group('method', ['.append(', '.count(', '.index(', '.join(', '.lower()', '.upper()', '.split()', '.strip()']),
  ...group('param', Array.from({ length: PARAM_SLOTS }, (_, i) => `P${i}`)),
  ...group('local', Array.from({ length: LOCAL_SLOTS }, (_, i) => `L${i}`)),
];

export const TOKEN_COUNT = TOKENS.length;

/** Token name -> action id. */
export const TOKEN_ID: Readonly<Record<string, number>> = Object.fromEntries(TOKENS.map((t, i) => [t.name, i]));

/** The action id of a token name; throws on a name the vocabulary does not have. */
export function tokenId(name: string): number {
  const id = TOKEN_ID[name];
  if (id === undefined) throw new Error(`unknown token ${JSON.stringify(name)}`);
  return id;
}

/** Default names the source printer gives local slots (renamed when a parameter already has one). */
export const LOCAL_NAMES = ['v0', 'v1', 'v2', 'v3'] as const;

/**
 * A token as a person reads it in a replay: parameter slots become the problem's parameter names,
 * local slots their variable names, layout tokens stay in capitals.
 */
export function tokenDisplay(id: number, parameters: readonly string[] = []): string {
  const token = TOKENS[id];
  if (!token) return `?${id}`;
  if (token.kind === 'param') return parameters[Number(token.name.slice(1))] ?? token.name;
  if (token.kind === 'local') return LOCAL_NAMES[Number(token.name.slice(1))] ?? token.name;
  return token.name;
}

/** Action ids of a space-separated token text, e.g. `return P0 + P1 NEWLINE END` (tests, docs). */
export function tokenIds(text: string): number[] {
  return text.trim().split(/\s+/).map(tokenId);
}

/**
 * 1 for leaves (parameters, locals, constants). Exploration that picks a leaf half the time when one
 * is allowed keeps random programs short: uniform picks made `a + b` a 1-in-10,000 event (docs/prototype-findings.md).
 */
export const LEAF_TOKENS: Uint8Array = Uint8Array.from(TOKENS, (t) => (t.kind === 'param' || t.kind === 'local' || t.kind === 'const' ? 1 : 0));
