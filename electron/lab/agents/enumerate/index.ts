import { sourceNames } from '#lab/env/program-source.ts';
import { enumerateConfigSection } from '#shared/agents/enumerate-config.ts';
import type { Agent, AgentContext, AgentDefinition, ActRow, ActResult, SavedAgent } from '../agent.ts';
import { ProgramEnumerator } from './program-enumerator.ts';

/**
 * Enumeration of programs by length: each episode on a problem writes that problem's next program
 * in order of token count, so short programs are all tried before any longer one. Lanes that work
 * on the same problem take consecutive programs.
 */
class EnumerationAgent implements Agent {
  readonly kind = 'enumerate';
  private readonly plans = new Map<number, readonly number[]>();
  constructor(
    private readonly enumerators: ProgramEnumerator[],
    private readonly actionCount: number,
  ) {}
  beginEpisode(problemIndex: number, lane: number): void {
    this.plans.set(lane, this.enumerators[problemIndex]!.next() ?? []);
  }
  actBatch(_states: Float32Array, masks: Uint8Array, rows: readonly ActRow[]): ActResult[] {
    const A = this.actionCount;
    return rows.map((row, i) => {
      const mask = masks.subarray(i * A, (i + 1) * A);
      const planned = this.plans.get(row.lane)?.[row.position];
      // When every program of the length limit was tried, fall back to the first valid token.
      const action = planned !== undefined && mask[planned] ? planned : mask.indexOf(1);
      return { action, explored: false, topQ: [], probabilities: [[action, 1]] };
    });
  }
  observe(): void {}
  train() {
    return undefined;
  }
  setLearningRate(): void {}
  save(): SavedAgent {
    return { meta: { produced: this.enumerators.map((e) => e.produced) }, arrays: {} };
  }
  dispose(): void {}
}

function enumerators({ problems, config }: AgentContext): ProgramEnumerator[] {
  return problems.map((p) => {
    const names = sourceNames(p);
    return new ProgramEnumerator(names.parameters.length, config.environment.max_steps, names.parameters);
  });
}

export const enumerateDefinition: AgentDefinition<'enumerate'> = {
  kind: 'enumerate',
  configSection: enumerateConfigSection,
  usesNetwork: false,
  learns: false,
  reports: 'probabilities',
  create: (context) => new EnumerationAgent(enumerators(context), context.actionCount),
  restore(context, saved) {
    const produced = (saved.meta as { produced?: number[] } | null)?.produced;
    if (!Array.isArray(produced)) throw new Error('the checkpoint holds no enumeration progress');
    const list = enumerators(context);
    list.forEach((e, i) => e.skip(produced[i] ?? 0));
    return new EnumerationAgent(list, context.actionCount);
  },
  epsilon: () => 0,
};
