import type { Verdict } from '#shared/executor/verdict.ts';

/** What the environment keeps of one executed program. */
export interface ProgramRecord {
  readonly passed: number;
  readonly total: number;
  readonly compiled: boolean;
  readonly verdicts: readonly Verdict[];
}

/** One prefix of a program. `allowed` is the mask seen there (fixed: masks depend on the prefix only). */
export interface TrieNode {
  readonly children: Map<number, TrieNode>;
  allowed: readonly number[] | null;
  /** Every program below this prefix has been executed. */
  exhausted: boolean;
}

/**
 * A memory as a checkpoint keeps it: every executed program per problem, in the order it ran
 * (tokens joined by ','), with its record, plus the counters. The trie is rebuilt from it by
 * replaying the programs in order (CodeEnv.restoreMemory), which reproduces it exactly.
 */
export interface MemorySnapshot {
  readonly executed: number;
  readonly hits: number;
  readonly problems: readonly (readonly [problem: number, programs: readonly (readonly [tokens: string, passed: number, total: number, compiled: boolean, verdicts: readonly Verdict[], marked?: boolean])[]])[];
}

const node = (): TrieNode => ({ children: new Map(), allowed: null, exhausted: false });

/**
 * Programs already executed, per problem, so no caller pays for the same program twice: budget
 * accounting counts executed programs, and a hit here costs nothing. With `trie` on, it also keeps
 * the prefix tree of what was generated and marks subtrees whose programs have all been run, which
 * the environment can mask (`avoidRepeats`). Never executing a program twice was the largest single
 * gain when solving a new problem from its tests in a prototype (docs/prototype-findings.md).
 */
export class ProgramMemory {
  private readonly records = new Map<number, Map<string, ProgramRecord>>();
  private readonly roots = new Map<number, TrieNode>();
  /** Per problem, the programs whose trie leaf is marked exhausted (see `set` and `markTried`). */
  private readonly marked = new Map<number, Set<string>>();
  /** Programs sent to the executor (cache hits excluded). */
  executed = 0;
  hits = 0;

  constructor(readonly trie = false) {}

  get(problem: number, tokens: readonly number[]): ProgramRecord | undefined {
    const record = this.records.get(problem)?.get(tokens.join(','));
    if (record) this.hits++;
    return record;
  }

  /**
   * Records an executed program and counts it; with a path, also marks its leaf (and any emptied
   * subtree) exhausted. Without one the program is known but not yet tried for the trie's purpose
   * (a greedy evaluation ran it): a training episode may still write it once and learn from it.
   * `counted` false: the executor answered from its own cache (the same source from other tokens).
   */
  set(problem: number, tokens: readonly number[], record: ProgramRecord, path?: readonly TrieNode[], counted = true): void {
    let table = this.records.get(problem);
    if (!table) this.records.set(problem, (table = new Map()));
    table.set(tokens.join(','), record);
    if (counted) this.executed++;
    if (path) this.markTried(problem, tokens, path);
  }

  /** Marks a known program's leaf exhausted (an episode that avoids repeats wrote it). */
  markTried(problem: number, tokens: readonly number[], path: readonly TrieNode[]): void {
    let set = this.marked.get(problem);
    if (!set) this.marked.set(problem, (set = new Set()));
    set.add(tokens.join(','));
    markExhausted(path);
  }

  /** A program's record, looked up without counting a hit (for showing it, not for an episode). */
  peek(problem: number, tokens: readonly number[]): ProgramRecord | undefined {
    return this.records.get(problem)?.get(tokens.join(','));
  }

  /** Whether a program of a problem was executed (a look-up that, unlike `get`, counts no hit). */
  has(problem: number, tokens: readonly number[]): boolean {
    return this.records.get(problem)?.has(tokens.join(',')) ?? false;
  }

  /** Executed programs of one problem. */
  count(problem: number): number {
    return this.records.get(problem)?.size ?? 0;
  }

  /** Every executed program, in order, for a checkpoint (see MemorySnapshot). */
  snapshot(): MemorySnapshot {
    return {
      executed: this.executed,
      hits: this.hits,
      problems: [...this.records].map(([problem, table]) => [
        problem,
        [...table].map(([tokens, r]) => [tokens, r.passed, r.total, r.compiled, r.verdicts, this.marked.get(problem)?.has(tokens) ?? false] as const),
      ] as const),
    };
  }

  /** Every executed program of every problem in the order it ran (for rebuilding from a snapshot). */
  static programsOf(snapshot: MemorySnapshot): { problem: number; tokens: number[]; record: ProgramRecord; marked: boolean }[] {
    return snapshot.problems.flatMap(([problem, programs]) =>
      programs.map(([tokens, passed, total, compiled, verdicts, marked]) => ({
        problem,
        tokens: tokens === '' ? [] : tokens.split(',').map(Number),
        record: { passed, total, compiled, verdicts: [...verdicts] },
        // Snapshots from before marks were recorded marked every program of a trie memory.
        marked: marked ?? true,
      })),
    );
  }

  root(problem: number): TrieNode {
    let root = this.roots.get(problem);
    if (!root) this.roots.set(problem, (root = node()));
    return root;
  }
}

/** The child of a prefix node, created on first visit. */
export function childOf(parent: TrieNode, action: number): TrieNode {
  let child = parent.children.get(action);
  if (!child) parent.children.set(action, (child = node()));
  return child;
}

/** `path` runs from the root to the leaf just executed; exhaustion climbs while every sibling is done. */
function markExhausted(path: readonly TrieNode[]): void {
  const leaf = path[path.length - 1];
  if (!leaf) return;
  leaf.exhausted = true;
  for (let i = path.length - 2; i >= 0; i--) {
    const n = path[i]!;
    if (!n.allowed || !n.allowed.every((a) => n.children.get(a)?.exhausted)) return;
    n.exhausted = true;
  }
}
