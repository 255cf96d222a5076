import { LEAF, ProgramEnumerator } from '#lab/agents/enumerate/program-enumerator.ts';

/** One problem's search as a checkpoint keeps it (the enumerators are rebuilt and skipped ahead). */
export interface ProblemSearchSnapshot {
  /** Programs the shortest-first enumerator produced (known ones included). */
  produced: number;
  /** Best partial-credit program so far (tokens, END included) and its passed fraction. */
  base: number[] | null;
  baseScore: number;
  /** The local search keeps base[0, cut) and enumerates completions; below MIN_CUT it is exhausted. */
  cut: number;
  localProduced: number;
  /**
   * Programs the skeleton search around the base produced: every program whose operands are the
   * base's operands in the same order, up to `localExtra` tokens longer (`a or c` -> `max(a, c)`).
   * -1: exhausted (or no base).
   */
  skeletonProduced?: number;
  /** Local proposals made around the current base (at most LOCAL_BUDGET before the next base). */
  spent?: number;
  /**
   * Programs that tied the base's score, in the order they were reported (at most MAX_PENDING): the
   * next bases once the current one's neighbourhood is exhausted or its budget spent.
   */
  pending?: number[][];
  /** Tokens of every base tried so far (tied programs with the most tokens outside it go first). */
  seen?: number[];
  /** Proposals made (even ones go to the enumerator, odd ones to the local search while it lasts). */
  turn: number;
  /** The first passing program found for the problem (by any training episode), or null. */
  solution: number[] | null;
}

/**
 * The local search keeps at least `return` and one more token: keeping `return` alone would only
 * repeat the shortest-first enumeration (measured: with cut 1 allowed, half of all proposals went
 * to re-enumerating every program of up to base + 3 tokens).
 */
const MIN_CUT = 2;
/**
 * Proposals around one base (cut completions and skeletons in turn) before the next tied one: a
 * neighbourhood with a short cut is nearly the whole enumeration (`return a` + 8 tokens: ~10^5
 * programs). Measured on max_of_three: the cut search of the 4/6 `a or c` has no 5/6 program, its
 * skeleton search reaches `max(a, c)` (5/6) as its 742nd program; from there the cut search reaches
 * `max(a, c, b)` after 251 (localExtra 2).
 */
const LOCAL_BUDGET = 2000;
/** A skeleton walk ends after this many grammar states without a program (ProgramEnumerator). */
const SKELETON_VISITS_PER_PROGRAM = 100_000;
const MAX_PENDING = 64;

export interface SearchShape {
  paramCount: number;
  maxSteps: number;
  parameters: readonly string[];
}

/**
 * Systematic search for one problem, the proposal side of expert iteration (training.search_programs):
 * alternately (1) the next program of the shortest-first enumerator (every program of length L
 * before any of L+1), and (2) a local search around the best partial-credit program found so far
 * (by the enumerator or by any DQN episode): keep its first `cut` tokens, enumerate completions of
 * up to `localExtra` more tokens than the base has, then cut one token more (down to MIN_CUT). Measured on the seed
 * set: enumeration alone solves 7 of 8 problems within 7,600 programs each; max_of_three needs
 * `return max(a, b, c)` (10 tokens; even the 5/6 `max(a, c)` is enumeration's 760,448th program), but from its 5/6 partial `max(a, c)`
 * the local search reaches `max(a, c, b)` by the cut before `)` after 251 completions with
 * localExtra 2 (2,282 with 3: the cut after `)` tries every `max(a, c) op x op y` first).
 * Nothing here knows a problem: only its parameter count and the scores its tests gave.
 */
export class ProblemSearch {
  private global: ProgramEnumerator;
  private local: ProgramEnumerator | null = null;
  private skeleton: ProgramEnumerator | null = null;
  private s: ProblemSearchSnapshot;

  constructor(
    private readonly shape: SearchShape,
    private readonly localExtra: number,
    snapshot?: ProblemSearchSnapshot,
  ) {
    this.s = snapshot ? structuredClone(snapshot) : { produced: 0, base: null, baseScore: 0, cut: 0, localProduced: 0, turn: 0, solution: null };
    this.global = new ProgramEnumerator(shape.paramCount, shape.maxSteps, shape.parameters);
    this.global.skip(this.s.produced);
    if (this.s.base && this.s.cut >= MIN_CUT) {
      this.local = this.localAt(this.s.cut);
      this.local.skip(this.s.localProduced);
    }
    if (this.s.base && (this.s.skeletonProduced ?? -1) >= 0) {
      this.skeleton = this.skeletonOf(this.s.base);
      this.skeleton.skip(this.s.skeletonProduced!);
    }
  }

  get solution(): readonly number[] | null {
    return this.s.solution;
  }

  snapshot(): ProblemSearchSnapshot {
    return structuredClone(this.s);
  }

  /** The next program to try that `known` does not already know, or undefined when none is left. */
  next(known: (tokens: readonly number[]) => boolean): number[] | undefined {
    for (;;) {
      const useLocal = this.searchingBase() && this.s.turn % 2 === 1;
      this.s.turn++;
      const program = useLocal ? this.nextLocal() : this.nextGlobal();
      if (program === undefined) {
        if (!useLocal && !this.searchingBase()) return undefined;
        continue;
      }
      if (!known(program)) return program;
    }
  }

  /**
   * A training program's outcome: a pass becomes the solution, a better partial score the new base
   * of the local search, a tie a pending base. Returns true when the solution or the score changed.
   */
  report(tokens: readonly number[], passed: number, total: number): boolean {
    if (total <= 0 || this.s.solution) return false;
    if (passed === total) {
      this.s.solution = [...tokens];
      return true;
    }
    const score = passed / total;
    if (score <= 0 || score < this.s.baseScore) return false;
    if (score === this.s.baseScore) {
      // A plateau move for later (each program is reported once: the search and training episodes
      // that avoid repeats never write a known program).
      const pending = (this.s.pending ??= []);
      pending.push([...tokens]);
      if (pending.length > MAX_PENDING) pending.splice(this.mostNovel(false), 1);
      if (!this.searchingBase()) this.nextBase();
      return false;
    }
    this.s.pending = [];
    this.s.seen = [];
    this.s.baseScore = score;
    this.setBase(tokens);
    return true;
  }

  private setBase(tokens: readonly number[]): void {
    this.s.seen = [...new Set([...(this.s.seen ?? []), ...tokens])].sort((a, b) => a - b);
    this.s.base = [...tokens];
    this.s.cut = tokens.length - 1;
    this.s.localProduced = 0;
    this.s.spent = 0;
    this.local = this.s.cut >= MIN_CUT ? this.localAt(this.s.cut) : null;
    this.skeleton = this.skeletonOf(this.s.base);
    this.s.skeletonProduced = 0;
  }

  private searchingBase(): boolean {
    return this.local !== null || this.skeleton !== null;
  }

  /**
   * The index of the pending program with the most distinct tokens no tried base had, per token of
   * its length (`most`), or
   * the fewest (to drop when the queue is full); the earliest on a tie. Ties of a partial score are
   * mostly variants of one idea (on max_of_three ~17% of DQN programs tie `a or c` at 4/6, like
   * `a or c or b`), so the first programs that bring new tokens (`max(a, b)`) go first.
   */
  private mostNovel(most = true): number {
    const seen = new Set(this.s.seen ?? []);
    // Per token: a long program collects new tokens by accident (measured: the first pick among the
    // 4/6 ties of max_of_three was a 16-token chain of `or`s and calls by raw count).
    const novelty = (t: readonly number[]) => new Set(t.filter((a) => !seen.has(a))).size / t.length;
    const pending = this.s.pending ?? [];
    let best = 0;
    for (let i = 1; i < pending.length; i++) {
      const d = novelty(pending[i]!) - novelty(pending[best]!);
      if (most ? d > 0 : d < 0) best = i;
    }
    return best;
  }

  /** The most novel tied program becomes the base (none left: the local search rests). */
  private nextBase(): void {
    const pending = this.s.pending ?? [];
    const next = pending.length ? pending.splice(this.mostNovel(), 1)[0] : undefined;
    if (next) this.setBase(next);
    else {
      this.local = this.skeleton = null;
      this.s.cut = 0;
      this.s.skeletonProduced = -1;
    }
  }

  private nextGlobal(): number[] | undefined {
    const program = this.global.next();
    if (program) this.s.produced = this.global.produced;
    return program;
  }

  /** Around the base: cut completions and skeletons in turn, until both end or the budget is spent. */
  private nextLocal(): number[] | undefined {
    while (this.searchingBase()) {
      if ((this.s.spent ?? 0) >= LOCAL_BUDGET) {
        this.nextBase();
        continue;
      }
      const useSkeleton = this.skeleton !== null && ((this.s.spent ?? 0) % 2 === 1 || this.local === null);
      const program = useSkeleton ? this.nextSkeleton() : this.nextCut();
      if (program) {
        this.s.spent = (this.s.spent ?? 0) + 1;
        return program;
      }
      if (!this.searchingBase()) this.nextBase();
    }
    return undefined;
  }

  private nextCut(): number[] | undefined {
    while (this.local) {
      const program = this.local.next();
      if (program) {
        this.s.localProduced = this.local.produced;
        return program;
      }
      this.s.cut--;
      this.s.localProduced = 0;
      this.local = this.s.cut >= MIN_CUT ? this.localAt(this.s.cut) : null;
    }
    return undefined;
  }

  private nextSkeleton(): number[] | undefined {
    const program = this.skeleton?.next();
    if (program) this.s.skeletonProduced = this.skeleton!.produced;
    else {
      this.skeleton = null;
      this.s.skeletonProduced = -1;
    }
    return program;
  }

  private skeletonOf(base: readonly number[]): ProgramEnumerator {
    const limit = Math.min(this.shape.maxSteps, base.length + this.localExtra);
    return new ProgramEnumerator(this.shape.paramCount, limit, this.shape.parameters, [], 1, base.filter((a) => LEAF[a]), SKELETON_VISITS_PER_PROGRAM);
  }

  private localAt(cut: number): ProgramEnumerator {
    const base = this.s.base!;
    const limit = Math.min(this.shape.maxSteps, base.length + this.localExtra);
    return new ProgramEnumerator(this.shape.paramCount, limit, this.shape.parameters, base.slice(0, cut), cut + 1);
  }
}
