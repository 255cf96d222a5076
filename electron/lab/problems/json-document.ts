import {
  createScanner,
  findNodeAtLocation,
  parseTree,
  printParseErrorCode,
  visit,
  type JSONPath,
  type ParseErrorCode,
} from 'jsonc-parser';

/**
 * Strict JSON parsing that keeps what JSON.parse throws away: where each error is (line:column) and
 * the exact text of numbers. `2.0` must stay a float and 12345678901234567890 must stay exact, so
 * numbers are turned into canonical tagged JSON while parsing (see shared/values/tagged-json.ts).
 */

/** Deeper documents are refused before parsing: the parser recurses, and no problem file needs it. */
export const MAX_DOCUMENT_DEPTH = 100;

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units as editors count them. */
  column: number;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly position: SourcePosition,
    readonly detail: string,
  ) {
    super(`${position.line}:${position.column}: ${detail}`);
    this.name = 'JsonSyntaxError';
  }
}

const ERROR_TEXT: Partial<Record<string, string>> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':'",
  CommaExpected: "expected ','",
  CloseBraceExpected: "expected ',' or '}'",
  CloseBracketExpected: "expected ',' or ']'",
  EndOfFileExpected: 'expected the end of the document (is this JSON Lines? name it .jsonl)',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'control character in a string (escape it)',
};

function describe(code: ParseErrorCode): string {
  const name = printParseErrorCode(code);
  return ERROR_TEXT[name] ?? name;
}

function numberValue(raw: string): unknown {
  if (/[.eE]/.test(raw)) return { $float: raw };
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : { $int: raw };
}

/** Refuses nesting deeper than MAX_DOCUMENT_DEPTH with an iterative scan (no recursion). */
function checkDepth(text: string): void {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let kind = scanner.scan(); kind !== 17 /* EOF */; kind = scanner.scan()) {
    if (kind === 1 /* { */ || kind === 3 /* [ */) {
      if (++depth > MAX_DOCUMENT_DEPTH) {
        throw new JsonSyntaxError(
          { line: scanner.getTokenStartLine() + 1, column: scanner.getTokenStartCharacter() + 1 },
          `nested deeper than ${MAX_DOCUMENT_DEPTH} levels`,
        );
      }
    } else if (kind === 2 /* } */ || kind === 4 /* ] */) depth--;
  }
}

/**
 * Called for each item of a top-level list (the root array, or an array held by a key of the root
 * object) as soon as the item is complete. Returning true takes the item: it is not kept in the
 * parsed document (a null stands in its place), so a 15 MB file of problems never has to exist as
 * one tree in memory. `key` is undefined for the root array.
 */
export type TopLevelItemHandler = (value: unknown, key: string | undefined, index: number) => boolean;

/** Parses one strict JSON document; throws JsonSyntaxError at the first error. */
export function parseJsonDocument(text: string, onTopLevelItem?: TopLevelItemHandler): unknown {
  checkDepth(text);
  const stack: unknown[] = [];
  const keys: (string | undefined)[] = [];
  let root: unknown;
  let hasRoot = false;
  let firstError: JsonSyntaxError | undefined;

  const attach = (value: unknown): void => {
    if (stack.length === 0) {
      root = value;
      hasRoot = true;
      return;
    }
    const top = stack[stack.length - 1];
    if (Array.isArray(top)) {
      const topLevel = onTopLevelItem && (stack.length === 1 || (stack.length === 2 && !Array.isArray(stack[0])));
      if (topLevel && onTopLevelItem(value, stack.length === 1 ? undefined : keys[0], top.length)) top.push(null);
      else top.push(value);
    }
    else {
      const key = keys[keys.length - 1]!;
      // defineProperty: a "__proto__" key in a file must stay data, never become a prototype.
      Object.defineProperty(top, key, { value, enumerable: true, writable: true, configurable: true });
    }
  };

  visit(
    text,
    {
      onObjectBegin: () => {
        stack.push({});
        keys.push(undefined);
      },
      onObjectProperty: (name) => {
        keys[keys.length - 1] = name;
      },
      onObjectEnd: () => {
        keys.pop();
        attach(stack.pop());
      },
      onArrayBegin: () => {
        stack.push([]);
        keys.push(undefined);
      },
      onArrayEnd: () => {
        keys.pop();
        attach(stack.pop());
      },
      onLiteralValue: (value, offset, length) => {
        attach(typeof value === 'number' ? numberValue(text.slice(offset, offset + length)) : value);
      },
      onError: (code, _offset, _length, startLine, startCharacter) => {
        firstError ??= new JsonSyntaxError({ line: startLine + 1, column: startCharacter + 1 }, describe(code));
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  if (firstError) throw firstError;
  if (!hasRoot) throw new JsonSyntaxError({ line: 1, column: 1 }, 'expected a value');
  return root;
}

/**
 * The document's numbers back as plain JS numbers, for fields that are not Python values (a
 * tolerance, a difficulty, a task id): parseJsonDocument tags every float and big int it reads.
 */
export function untagNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untagNumbers);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [[key, body]] = entries as [[string, unknown]];
    if ((key === '$float' || key === '$int') && typeof body === 'string') return Number(body);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    Object.defineProperty(out, key, { value: untagNumbers(item), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Where the value at `path` starts, for schema errors. Re-parses into a tree, so call it only on
 * the error path, with a document that parseJsonDocument accepted.
 */
export function locatePaths(text: string, paths: JSONPath[]): (SourcePosition | undefined)[] {
  if (paths.length === 0) return [];
  const tree = parseTree(text, [], { disallowComments: true });
  if (!tree) return paths.map(() => undefined);
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  return paths.map((path) => {
    let node = findNodeAtLocation(tree, path);
    // A missing property points at the object that lacks it.
    for (let shorter = path.slice(0, -1); !node && shorter.length >= 0; shorter = shorter.slice(0, -1)) {
      node = findNodeAtLocation(tree, shorter);
      if (shorter.length === 0) break;
    }
    if (!node) return undefined;
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= node.offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: node.offset - lineStarts[low]! + 1 };
  });
}
