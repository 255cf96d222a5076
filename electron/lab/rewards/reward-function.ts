/**
 * The reward contract the environment calls. A reward is a sum of named parts; the environment
 * reports the parts of every step in `info.rewardParts` and its reward is exactly their sum, so a
 * replay can show why a step paid what it paid. docs/grammar.md gives the formulas.
 */

/** The part names every reward reports on every step (zeros included), in summation order. */
export const REWARD_PARTS = ['correctness', 'quality', 'efficiency', 'progress'] as const;
export type RewardPart = (typeof REWARD_PARTS)[number];
export type RewardParts = Record<RewardPart, number>;

/** One token written (by the agent or forced by the grammar). */
export interface TokenEvent {
  readonly maxSteps: number;
  /** The program can end here for the first time this episode (a complete statement exists). */
  readonly firstCompletable: boolean;
  /** The first `return` statement was just completed. */
  readonly firstReturn: boolean;
}

/** The finished program, after the executor judged it (or its cached result was reused). */
export interface ProgramEvent {
  readonly maxSteps: number;
  readonly tokens: number;
  readonly passed: number;
  readonly total: number;
  /** False when the executor reported compile_error (the grammar should make that impossible). */
  readonly compiled: boolean;
  /** The program reads at least one parameter. */
  readonly readsParameter: boolean;
  readonly hasReturn: boolean;
  /** Deepest block nesting inside the def (0 = straight-line code). */
  readonly maxDepth: number;
  readonly loops: number;
}

export interface RewardFunction {
  readonly type: 'code_quality' | 'sparse' | 'curriculum';
  /** Parts for one token written. */
  token(event: TokenEvent): RewardParts;
  /** Parts added when the program ends. */
  program(event: ProgramEvent): RewardParts;
  /** Training progress in [0, 1] (episodes done / planned); only curriculum uses it. */
  setProgress?(progress: number): void;
}

export const zeroParts = (): RewardParts => ({ correctness: 0, quality: 0, efficiency: 0, progress: 0 });

/** Adds `b` into `a` part by part. */
export function addParts(a: RewardParts, b: RewardParts): RewardParts {
  for (const k of REWARD_PARTS) a[k] += b[k];
  return a;
}

/** The reward of a step: the sum of its parts, always in REWARD_PARTS order (so it is exact). */
export function sumParts(parts: RewardParts): number {
  let total = 0;
  for (const k of REWARD_PARTS) total += parts[k];
  return total;
}
