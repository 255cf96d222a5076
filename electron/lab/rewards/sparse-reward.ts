import { zeroParts, type ProgramEvent, type RewardFunction, type RewardParts } from './reward-function.ts';

/** The seed's sparse reward: 1 when every test passes, else 0, reported as `correctness`. */
export class SparseReward implements RewardFunction {
  readonly type: RewardFunction['type'] = 'sparse';

  token(): RewardParts {
    return zeroParts();
  }

  program(e: ProgramEvent): RewardParts {
    return { ...zeroParts(), correctness: e.total > 0 && e.passed === e.total ? 1 : 0 };
  }
}
