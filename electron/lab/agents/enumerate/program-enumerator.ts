import { TOKEN_COUNT, TOKENS } from '#shared/env/token-vocabulary.ts';
import { GrammarMasker } from '#lab/env/grammar-mask.ts';
import { applyToken, cloneState, initialState, MODE, type GrammarState } from '#lab/env/grammar-state.ts';

/** Operands: parameters, locals and constants. */
export const LEAF = TOKENS.map((t) => t.kind === 'param' || t.kind === 'local' || t.kind === 'const');

/**
 * Every program of the grammar for one problem, shortest first (then in token order): the
 * enumeration baseline. Programs of length L are found by a depth-first walk under a mask built for
 * exactly L steps, so the walk never enters a prefix that cannot end by then.
 */
export class ProgramEnumerator {
  private readonly walk: Generator<number[]>;
  produced = 0;
  /** Grammar states visited since the last program produced (see `maxVisitsPerProgram`). */
  private visitsSinceProgram = 0;

  /**
   * `prefix`: only programs that start with these tokens (a local search's completions of a kept
   * prefix); `minLength`: shorter programs are skipped (lengths count the prefix and END).
   */
  constructor(
    private readonly paramCount: number,
    private readonly maxSteps: number,
    private readonly shadowed: readonly string[] = [],
    private readonly prefix: readonly number[] = [],
    private readonly minLength = 1,
    /**
     * Only programs whose leaves (parameters, locals, constants) after the prefix are exactly these,
     * in this order: the skeletons around a partial program's operands (ProblemSearch).
     */
    private readonly leaves?: readonly number[],
    /**
     * The walk ends, as if every program were produced, after this many grammar states without a
     * program. Skeletons need it: with the operands fixed, most operator sequences dead-end only
     * deep down, and one skeleton walk of the seed set once ran 44 minutes between two programs.
     */
    private readonly maxVisitsPerProgram = Infinity,
  ) {
    this.walk = this.programs();
  }

  /** The next program's tokens (END included), or undefined when all were produced. */
  next(): number[] | undefined {
    const result = this.walk.next();
    if (result.done) return undefined;
    this.produced++;
    this.visitsSinceProgram = 0;
    return result.value;
  }

  /** Moves past `count` programs (to continue where a checkpoint left off). */
  skip(count: number): void {
    while (this.produced < count && this.next()) {
      /* advance */
    }
  }

  private *programs(): Generator<number[]> {
    const start = initialState();
    for (const action of this.prefix) applyToken(start, action);
    if (start.mode === MODE.done) return;
    for (let length = Math.max(this.minLength, this.prefix.length + 1); length <= this.maxSteps; length++) {
      if (this.visitsSinceProgram > this.maxVisitsPerProgram) return;
      let masker: GrammarMasker;
      try {
        masker = new GrammarMasker({ paramCount: this.paramCount, maxSteps: length, shadowed: this.shadowed });
      } catch {
        continue; // too short for any program
      }
      yield* this.ofLength(masker, cloneState(start), [...this.prefix], length, 0);
    }
  }

  private *ofLength(masker: GrammarMasker, state: GrammarState, prefix: number[], length: number, used: number): Generator<number[]> {
    if (++this.visitsSinceProgram > this.maxVisitsPerProgram) return;
    const mask = new Uint8Array(TOKEN_COUNT);
    masker.write(state, mask);
    const leaves = this.leaves;
    for (let action = 0; action < TOKEN_COUNT; action++) {
      if (this.visitsSinceProgram > this.maxVisitsPerProgram) return;
      if (!mask[action]) continue;
      let nowUsed = used;
      if (leaves && LEAF[action]) {
        if (leaves[used] !== action) continue;
        nowUsed++;
      }
      const next = cloneState(state);
      applyToken(next, action);
      const tokens = [...prefix, action];
      // Every operand still to place takes a token of its own.
      if (leaves && leaves.length - nowUsed > length - tokens.length) continue;
      if (next.mode === MODE.done) {
        if (tokens.length === length && (!leaves || nowUsed === leaves.length)) yield tokens;
      } else if (tokens.length < length) {
        yield* this.ofLength(masker, next, tokens, length, nowUsed);
      }
    }
  }
}
