import type { RunWriter } from '#lab/store/run-writer.ts';
import type { Run } from './create-run.ts';
import type { RunState } from './run-state.ts';

/**
 * Every problem once with no exploration and under the plain grammar (repeats allowed): what the
 * policy writes now. Updates the greedy-solved list that steers the schedule; returns the rate.
 */
export async function evaluateGreedy(run: Run, state: RunState, writer: RunWriter, episode: number): Promise<{ rate: number; solved: number }> {
  const greedySolved: number[] = [];
  for (let p = 0; p < run.problems.length; p++) {
    const greedy = await run.episode({ problemIndex: p, epsilon: 0, learn: false, keepSteps: true, trainFrequency: 1, stepsBefore: 0, avoidRepeats: false });
    state.samplesExecuted += greedy.executed ? 1 : 0;
    const name = run.problems[p]!.name ?? run.problems[p]!.function_name;
    if (greedy.record.success) {
      greedySolved.push(p);
      state.solved(name, greedy.record.code, episode);
    }
    writer.episode({ ...greedy.record, problemName: name, episode, kind: 'greedy' });
  }
  state.greedySolved = greedySolved;
  return { rate: greedySolved.length / run.problems.length, solved: greedySolved.length };
}
