import type { Agent, ActRow, ActResult, SavedAgent, Transition } from '#lab/agents/agent.ts';

/**
 * Writes given programs, one per lane, while another agent learns from them (search-guided
 * exploration: a program the search found is replayed as an exploratory episode; observe/train go
 * to `learner`).
 */
export class PlannedAgent implements Agent {
  readonly kind: Agent['kind'];
  constructor(
    private readonly learner: Agent,
    private readonly plans: readonly (readonly number[])[],
    private readonly actionCount: number,
  ) {
    this.kind = learner.kind;
  }
  beginEpisode(): void {}
  actBatch(_states: Float32Array, masks: Uint8Array, rows: readonly ActRow[]): ActResult[] {
    const A = this.actionCount;
    return rows.map((row, i) => {
      const mask = masks.subarray(i * A, (i + 1) * A);
      const planned = this.plans[row.lane]?.[row.position];
      // A planned token is valid (the plan is a program of the same grammar); the fallback only guards.
      return { action: planned !== undefined && mask[planned] ? planned : mask.indexOf(1), explored: true, topQ: [] };
    });
  }
  observe(t: Transition): void {
    this.learner.observe(t);
  }
  train() {
    return this.learner.train();
  }
  setLearningRate(): void {}
  save(): SavedAgent {
    return { meta: {}, arrays: {} };
  }
  dispose(): void {}
}
