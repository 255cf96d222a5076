import type { ProgramEvent, RewardFunction, RewardParts, TokenEvent } from './reward-function.ts';

/** Weights, as the config's `reward` section names them. */
export interface RewardWeights {
  readonly correctness_weight: number;
  readonly quality_weight: number;
  readonly efficiency_weight: number;
  readonly progress_weight: number;
}

export interface CodeQualityOptions {
  /**
   * Partial credit (the fraction of tests passed) counts only for programs that read a parameter.
   * Without it constant programs (`return 0`, `return False` pass 25-50% of typical tests) win and
   * a greedy policy locks onto them; with it a prototype went from 4/8 to 7/8 solved (docs/prototype-findings.md).
   * On in our default, off in the seed preset.
   */
  readonly partialCreditNeedsParameter: boolean;
  /** The seed's "continuous generation" progress bonus per token (0.05); 0 in our default, because it pays for length. */
  readonly progressPerToken: number;
  /** All-tests-pass bonus, in units of correctness_weight (2 x 10 = the seed's +20). */
  readonly bonusFactor: number;
}

export const DEFAULT_CODE_QUALITY: CodeQualityOptions = { partialCreditNeedsParameter: true, progressPerToken: 0, bonusFactor: 2 };
export const SEED_CODE_QUALITY: CodeQualityOptions = { partialCreditNeedsParameter: false, progressPerToken: 0.05, bonusFactor: 2 };

/**
 * The seed's multi-objective reward. Per token: efficiency -0.1/max_steps (so an episode pays
 * -0.1 x steps/max_steps in all), progress +0.3 the first time the program can end, +0.2 when the
 * first return statement completes, plus progressPerToken. At the end: correctness = weight x
 * fraction passed + bonus when all pass; quality = syntax 0.5 + structure 0.3 + length 0.2 +
 * complexity 0.2; efficiency adds a conciseness penalty past half the step limit.
 */
export class CodeQualityReward implements RewardFunction {
  readonly type: RewardFunction['type'] = 'code_quality';

  constructor(
    readonly weights: RewardWeights,
    readonly options: CodeQualityOptions = DEFAULT_CODE_QUALITY,
  ) {}

  token(e: TokenEvent): RewardParts {
    const w = this.weights;
    return {
      correctness: 0,
      quality: 0,
      efficiency: w.efficiency_weight * (-0.1 / e.maxSteps),
      progress: w.progress_weight * ((e.firstCompletable ? 0.3 : 0) + (e.firstReturn ? 0.2 : 0) + this.options.progressPerToken),
    };
  }

  program(e: ProgramEvent): RewardParts {
    const w = this.weights;
    const allPass = e.total > 0 && e.passed === e.total;
    const partialCounts = e.readsParameter || !this.options.partialCreditNeedsParameter;
    const fraction = e.total > 0 && partialCounts ? e.passed / e.total : 0;
    const reasonable = e.tokens <= e.maxSteps / 2;
    const quality =
      (e.compiled ? 0.5 : 0) + (e.hasReturn ? 0.3 : 0) + (reasonable ? 0.2 : 0) + (e.maxDepth <= 2 && e.loops <= 1 ? 0.2 : 0);
    const excess = Math.max(0, e.tokens - e.maxSteps / 2);
    return {
      correctness: w.correctness_weight * (fraction + (allPass ? this.options.bonusFactor : 0)),
      quality: w.quality_weight * quality,
      efficiency: w.efficiency_weight * (-0.2 * (excess / e.maxSteps)),
      progress: 0,
    };
  }
}
