import { LOCAL_SLOTS, TOKENS, type TokenKind } from '#shared/env/token-vocabulary.ts';

/**
 * The pushdown machine behind the action mask: what has been written so far, as much as the mask
 * needs to know. One state per episode, mutated in place by `applyToken`; `cloneState` is only
 * used near the step limit (see grammar-mask.ts). docs/grammar.md describes the rules in words.
 */

export const MODE = {
  /** At the start of a statement (or where DEDENT/END may close blocks). */
  stmt: 0,
  /** After a local at statement start: `=`, an augmented operator or `.append(`. */
  assignOp: 1,
  forTarget: 2,
  forIn: 3,
  /** An operand is needed. */
  operand: 4,
  /** An operand is complete: an operator, a postfix or a closer may follow. */
  after: 5,
  elseColon: 6,
  needNewline: 7,
  needIndent: 8,
  done: 9,
} as const;
export type Mode = (typeof MODE)[keyof typeof MODE];
export const MODE_COUNT = 10;

export type BlockKind = 'def' | 'if' | 'elif' | 'else' | 'for' | 'while';
export type FrameKind = 'line' | 'paren' | 'call' | 'list' | 'sub';
/** What ends the current line: NEWLINE (simple), NEWLINE with no operator first (bare), or `:`. */
export type LineKind = 'simple' | 'bare' | 'header';

export interface Frame {
  kind: FrameKind;
  /** Items completed before the current one (commas seen), for calls and lists. */
  items: number;
  maxArgs: number;
  /** Slice colons seen, for subscripts. */
  colons: number;
  /**
   * Everything inside is literals (or list displays) joined by arithmetic: Python may fold it to a
   * constant and `(1)[0]` becomes a SyntaxWarning, which `-W error` turns into a SyntaxError.
   */
  constOnly: boolean;
}

export interface Block {
  kind: BlockKind;
  hasStmt: boolean;
  /** Ended by return/break/continue: anything after it in this block is dead code, so masked. */
  terminated: boolean;
}

export interface GrammarState {
  mode: Mode;
  frames: Frame[];
  blocks: Block[];
  lineKind: LineKind;
  headerKind: BlockKind;
  /** Block kind waiting for its INDENT (after a header's `:`), null after break/continue. */
  pendingOpen: BlockKind | null;
  lineTerminates: boolean;
  /** Right after a DEDENT that closed an if/elif block: elif/else may follow. */
  afterIf: boolean;
  /** `not` may start the operand (Python forbids `a + not b`). */
  notOk: boolean;
  /** A unary operator was just written: the operand cannot be left out. */
  afterPrefix: boolean;
  /** The last token opened a bracket or a slice part: `]` (`[]`, `a[1:]`) or `:` may follow directly. */
  segmentStart: boolean;
  /**
   * The last primary is a literal, a list display or a bracket Python folds to a constant: no
   * subscript after it, since `1[0]`, `''[None]` and `[1][0.5]` are compile-time SyntaxWarnings.
   */
  primaryConst: boolean;
  /** Locals L0..L(bound-1) have been assigned somewhere earlier in the text. */
  bound: number;
  pendingBind: number;
  length: number;
  paramsRead: number;
  returns: number;
  loops: number;
  statements: number;
  maxDepth: number;
}

/** Nesting limits: blocks inside the def, and brackets inside one line. */
export const MAX_NESTED_BLOCKS = 3;
export const MAX_FRAMES = 5;
export const MAX_LIST_ITEMS = 5;

const BUILTIN_MAX_ARGS: Record<string, number> = {
  'sum(': 2, 'min(': 3, 'max(': 3, 'range(': 3, 'round(': 2,
};

export function initialState(): GrammarState {
  return {
    mode: MODE.stmt, frames: [], blocks: [{ kind: 'def', hasStmt: false, terminated: false }],
    lineKind: 'simple', headerKind: 'def', pendingOpen: null, lineTerminates: false, afterIf: false,
    notOk: true, afterPrefix: false, segmentStart: false, primaryConst: false, bound: 0, pendingBind: -1,
    length: 0, paramsRead: 0, returns: 0, loops: 0, statements: 0, maxDepth: 0,
  };
}

/**
 * A deep copy. Written out field by field: the mask tries every token on a copy, and search
 * visits up to 100,000 states per program, so this is the grammar's hottest function (object
 * spread of this shape measured about twice as slow).
 */
export function cloneState(s: GrammarState): GrammarState {
  const frames: Frame[] = new Array(s.frames.length);
  for (let i = 0; i < frames.length; i++) {
    const f = s.frames[i]!;
    frames[i] = { kind: f.kind, items: f.items, maxArgs: f.maxArgs, colons: f.colons, constOnly: f.constOnly };
  }
  const blocks: Block[] = new Array(s.blocks.length);
  for (let i = 0; i < blocks.length; i++) {
    const b = s.blocks[i]!;
    blocks[i] = { kind: b.kind, hasStmt: b.hasStmt, terminated: b.terminated };
  }
  return {
    mode: s.mode, frames, blocks, lineKind: s.lineKind, headerKind: s.headerKind, pendingOpen: s.pendingOpen,
    lineTerminates: s.lineTerminates, afterIf: s.afterIf, notOk: s.notOk, afterPrefix: s.afterPrefix,
    segmentStart: s.segmentStart, primaryConst: s.primaryConst, bound: s.bound, pendingBind: s.pendingBind,
    length: s.length, paramsRead: s.paramsRead, returns: s.returns, loops: s.loops, statements: s.statements,
    maxDepth: s.maxDepth,
  };
}

const isLoop = (kind: BlockKind) => kind === 'for' || kind === 'while';
export function inLoop(s: GrammarState): boolean {
  for (const b of s.blocks) if (isLoop(b.kind)) return true;
  return false;
}
/** Fewest tokens of one statement: `break NEWLINE` in a loop, else `return 0 NEWLINE`. */
const minStmt = (loop: boolean) => (loop ? 2 : 3);
/** `:` NEWLINE INDENT, one statement in the new block, END. */
const headerEnd = (s: GrammarState, kind: BlockKind) => 3 + minStmt(inLoop(s) || isLoop(kind)) + 1;
const lineEnd = (s: GrammarState) => (s.lineKind === 'header' ? headerEnd(s, s.headerKind) : 2);

/**
 * The fewest tokens that finish the program from `s` (END included). Each branch names a path that
 * exists, and every state has an action that lowers it by exactly one, which is what lets the mask
 * promise that any allowed prefix still closes within the step limit.
 */
export function closingCost(s: GrammarState): number {
  switch (s.mode) {
    case MODE.stmt: {
      const inner = s.blocks[s.blocks.length - 1]!;
      return (inner.hasStmt ? 0 : minStmt(inLoop(s))) + 1;
    }
    case MODE.assignOp: return 4;
    case MODE.forTarget: return 2 + 1 + headerEnd(s, 'for');
    case MODE.forIn: return 1 + 1 + headerEnd(s, 'for');
    case MODE.operand:
    case MODE.after: {
      let cost = s.frames.length - 1 + lineEnd(s);
      if (s.mode === MODE.operand && !canCloseEmpty(s)) cost += 1;
      return cost;
    }
    case MODE.elseColon: return headerEnd(s, 'else');
    case MODE.needNewline: return s.pendingOpen ? headerEnd(s, s.pendingOpen) - 1 : 2;
    case MODE.needIndent: return headerEnd(s, s.pendingOpen!) - 2;
    default: return 0;
  }
}

/** In operand position, the innermost bracket may close with nothing more: `[]`, `a[1:]`. */
export function canCloseEmpty(s: GrammarState): boolean {
  if (!s.segmentStart) return false;
  const top = s.frames[s.frames.length - 1]!;
  return (top.kind === 'list' && top.items === 0) || (top.kind === 'sub' && top.colons > 0);
}

function push(s: GrammarState, kind: FrameKind, maxArgs = 0): void {
  s.frames.push({ kind, items: 0, maxArgs, colons: 0, constOnly: true });
  s.mode = MODE.operand;
  s.notOk = true;
  s.afterPrefix = false;
  s.segmentStart = true;
}

/** A primary just completed; a non-constant one stops the enclosing bracket from folding. */
function primaryDone(s: GrammarState, isConst: boolean): void {
  s.primaryConst = isConst;
  if (!isConst) s.frames[s.frames.length - 1]!.constOnly = false;
  s.mode = MODE.after;
}

function startLine(s: GrammarState, kind: LineKind): void {
  s.lineKind = kind;
  s.frames = [];
  push(s, 'line');
}

function endLine(s: GrammarState): void {
  s.frames = [];
  if (s.pendingBind >= 0) s.bound = Math.max(s.bound, s.pendingBind + 1);
  s.pendingBind = -1;
}

function startStatement(s: GrammarState): void {
  s.blocks[s.blocks.length - 1]!.hasStmt = true;
  s.statements++;
  s.lineTerminates = false;
}

/** Advances the machine by one token; the caller has checked the token against the mask. */
export function applyToken(s: GrammarState, id: number): void {
  const { name, kind } = TOKENS[id]!;
  s.length++;
  s.afterIf = false;
  s.segmentStart = false;
  switch (s.mode) {
    case MODE.stmt: return stmtToken(s, name, kind, id);
    case MODE.assignOp:
      if (name === '.append(') {
        startLine(s, 'bare');
        push(s, 'call', 1);
      } else startLine(s, 'simple');
      return;
    case MODE.forTarget:
      bindTarget(s, id);
      s.mode = MODE.forIn;
      return;
    case MODE.forIn: return startLine(s, 'header');
    case MODE.operand: return operandToken(s, name, kind, id);
    case MODE.after: return afterToken(s, name, kind);
    case MODE.elseColon:
      s.pendingOpen = 'else';
      s.mode = MODE.needNewline;
      return;
    case MODE.needNewline:
      if (s.pendingOpen) s.mode = MODE.needIndent;
      else {
        s.blocks[s.blocks.length - 1]!.terminated = true;
        s.mode = MODE.stmt;
      }
      return;
    case MODE.needIndent:
      s.blocks.push({ kind: s.pendingOpen!, hasStmt: false, terminated: false });
      s.maxDepth = Math.max(s.maxDepth, s.blocks.length - 1);
      s.pendingOpen = null;
      s.mode = MODE.stmt;
      return;
    default: throw new Error(`token ${name} after END`);
  }
}

function bindTarget(s: GrammarState, id: number): void {
  const slot = id - LOCAL_BASE;
  s.pendingBind = slot >= s.bound ? slot : -1;
}

function stmtToken(s: GrammarState, name: string, kind: TokenKind, id: number): void {
  if (name === 'END') {
    s.mode = MODE.done;
    return;
  }
  if (name === 'DEDENT') {
    const closed = s.blocks.pop()!;
    s.afterIf = closed.kind === 'if' || closed.kind === 'elif';
    return;
  }
  if (name !== 'elif' && name !== 'else') startStatement(s);
  if (kind === 'local') {
    bindTarget(s, id);
    s.mode = MODE.assignOp;
    return;
  }
  switch (name) {
    case 'return':
      s.returns++;
      startLine(s, 'simple');
      s.lineTerminates = true;
      return;
    case 'break':
    case 'continue':
      s.pendingOpen = null;
      s.mode = MODE.needNewline;
      return;
    case 'else':
      s.mode = MODE.elseColon;
      return;
    case 'for':
      s.loops++;
      s.headerKind = 'for';
      s.mode = MODE.forTarget;
      return;
    default: // if, elif, while
      if (name === 'while') s.loops++;
      s.headerKind = name as BlockKind;
      startLine(s, 'header');
  }
}

function operandToken(s: GrammarState, name: string, kind: TokenKind, id: number): void {
  switch (kind) {
    case 'param':
      s.paramsRead |= 1 << (id - PARAM_BASE);
      return primaryDone(s, false);
    case 'local': return primaryDone(s, false);
    case 'const': return primaryDone(s, true);
    case 'builtin': return push(s, 'call', BUILTIN_MAX_ARGS[name] ?? 1);
    default:
  }
  switch (name) {
    case '(': return push(s, 'paren');
    case '[': return push(s, 'list');
    case '-':
      s.afterPrefix = true;
      s.notOk = false;
      return;
    case 'not':
      s.afterPrefix = true;
      return;
    case ':':
      s.frames[s.frames.length - 1]!.colons++;
      s.notOk = true;
      s.segmentStart = true;
      return;
    case ']': {
      const closed = s.frames.pop()!;
      return primaryDone(s, closed.kind === 'list');
    }
    default: throw new Error(`token ${name} is not an operand`);
  }
}

// Top-level, not a closure in afterToken: the mask calls afterToken for every token it tries, and a
// closure made per call (named by the loader) showed up in profiles of training.
function toOperand(s: GrammarState, notOk: boolean): void {
  s.mode = MODE.operand;
  s.notOk = notOk;
  s.afterPrefix = false;
}

function afterToken(s: GrammarState, name: string, kind: TokenKind): void {
  const top = s.frames[s.frames.length - 1]!;
  if (kind === 'arith') return toOperand(s, false);
  if (kind === 'compare' || name === 'in') {
    top.constOnly = false;
    return toOperand(s, false);
  }
  if (name === 'and' || name === 'or') {
    top.constOnly = false;
    return toOperand(s, true);
  }
  if (kind === 'method') {
    if (name.endsWith('(')) return push(s, 'call', 1);
    return primaryDone(s, false);
  }
  switch (name) {
    case '[': return push(s, 'sub');
    case ',':
      top.items++;
      return toOperand(s, true);
    case ':':
      if (top.kind === 'sub') {
        top.colons++;
        toOperand(s, true);
        s.segmentStart = true;
        return;
      }
      endLine(s);
      s.pendingOpen = s.headerKind;
      s.mode = MODE.needNewline;
      return;
    case ')':
    case ']': {
      s.frames.pop();
      return primaryDone(s, top.kind === 'list' || (top.kind === 'paren' && top.constOnly));
    }
    case 'NEWLINE':
      endLine(s);
      if (s.lineTerminates) s.blocks[s.blocks.length - 1]!.terminated = true;
      s.mode = MODE.stmt;
      return;
    default: throw new Error(`token ${name} cannot follow an operand`);
  }
}

export const PARAM_BASE = TOKENS.findIndex((t) => t.kind === 'param');
export const LOCAL_BASE = TOKENS.findIndex((t) => t.kind === 'local');
