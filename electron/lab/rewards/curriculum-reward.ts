import type { Problem } from '#shared/problems/problem.ts';
import { CodeQualityReward, DEFAULT_CODE_QUALITY, type CodeQualityOptions, type RewardWeights } from './code-quality-reward.ts';
import type { ProgramEvent, RewardFunction, RewardParts, TokenEvent } from './reward-function.ts';

/**
 * The seed names `curriculum` ("gradually increasing difficulty over training") without defining
 * it; this is our definition, in two halves:
 * - problems: the environment draws only from the easiest part of the set, in `curriculumOrder`,
 *   growing from a quarter of it at progress 0 to all of it at progress 1 (`curriculumPool`);
 * - shaping: code_quality's quality and progress parts (and the conciseness penalty) are scaled by
 *   (1 - progress), so early training gets the dense hints and late training is paid for passing
 *   tests only. Correctness and the per-token cost are never scaled.
 */
export class CurriculumReward implements RewardFunction {
  readonly type: RewardFunction['type'] = 'curriculum';
  private readonly inner: CodeQualityReward;
  private progress = 0;

  constructor(weights: RewardWeights, options: CodeQualityOptions = DEFAULT_CODE_QUALITY) {
    this.inner = new CodeQualityReward(weights, options);
  }

  setProgress(progress: number): void {
    this.progress = Math.min(1, Math.max(0, progress));
  }

  get shaping(): number {
    return 1 - this.progress;
  }

  token(e: TokenEvent): RewardParts {
    const parts = this.inner.token(e);
    return { ...parts, progress: parts.progress * this.shaping };
  }

  program(e: ProgramEvent): RewardParts {
    const parts = this.inner.program(e);
    return { ...parts, quality: parts.quality * this.shaping, efficiency: parts.efficiency * this.shaping, progress: parts.progress * this.shaping };
  }
}

const DIFFICULTY_RANK = { easy: 2, medium: 5, hard: 8 } as const;

/**
 * Problem indices from easiest to hardest: the declared difficulty (unknown counts as medium), then
 * the reference solution's length, then the parameter count and the docstring's length; the index
 * breaks ties so the order is stable.
 */
export function curriculumOrder(problems: readonly Problem[]): number[] {
  const score = (p: Problem) => [
    p.difficulty === undefined ? 5 : typeof p.difficulty === 'number' ? p.difficulty : DIFFICULTY_RANK[p.difficulty],
    p.reference_solution?.length ?? 1000,
    p.parameters?.length ?? 9,
    p.docstring.length,
  ];
  const scored = problems.map((p, i) => ({ i, s: score(p) }));
  scored.sort((a, b) => {
    for (let k = 0; k < a.s.length; k++) if (a.s[k] !== b.s[k]) return a.s[k]! - b.s[k]!;
    return a.i - b.i;
  });
  return scored.map((x) => x.i);
}

/** The problems unlocked at a training progress: the first quarter of the order at 0, all at 1. */
export function curriculumPool(order: readonly number[], progress: number): number[] {
  const p = Math.min(1, Math.max(0, progress));
  const size = Math.max(1, Math.ceil(order.length * (0.25 + 0.75 * p)));
  return order.slice(0, size);
}
