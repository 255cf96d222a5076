import { afterAll, describe, expect, it } from 'vitest';
import type { Agent, ActRow } from '#lab/agents/agent.ts';
import { CodeEnv } from '#lab/env/code-env.ts';
import { ProgramMemory } from '#lab/env/program-memory.ts';
import { bundledProblems } from '#lab/env/test-problems.ts';
import { createExecutor } from '#lab/executor/executor.ts';
import { tokenIds } from '#shared/env/token-vocabulary.ts';
import { runEpisodes, runEpisodesStepwise } from './episode-runner.ts';

const executor = createExecutor({ warn: () => undefined });
afterAll(() => executor.close());

const problems = bundledProblems('seed-train');
const ADD = problems.findIndex((p) => p.function_name === 'add');

/** Writes, in every lane, the program of that lane's token list (forced tokens are skipped: they are written by the environment). */
function scripted(programs: readonly string[]): Agent {
  const wanted = programs.map((p) => tokenIds(p));
  return {
    kind: 'random',
    beginEpisode: () => {},
    actBatch: (_states: Float32Array, _masks: Uint8Array, rows: readonly ActRow[]) => rows.map((row) => ({ action: wanted[row.lane]![row.position]!, explored: false, topQ: [] })),
    observe: () => {},
    train: () => undefined,
    setLearningRate: () => {},
    save: () => ({ meta: null, arrays: {} }),
    dispose: () => {},
  };
}

function lanes(count: number): CodeEnv[] {
  const memory = new ProgramMemory(false);
  return Array.from({ length: count }, (_, k) => new CodeEnv({ problems, executor, maxSteps: 16, seed: k, memory }));
}

const options = (n: number) => Array.from({ length: n }, () => ({ problemIndex: ADD, epsilon: 1, learn: false, keepSteps: false, trainFrequency: 1, stepsBefore: 0 }));

describe('episodes in lockstep', () => {
  it('runs a program two lanes finish at the same step once: the later lane is a memory hit', async () => {
    const envs = lanes(3);
    const outcomes = await runEpisodes(envs, scripted(['return P0 + P1 NEWLINE END', 'return P0 + P1 NEWLINE END', 'return P1 + P0 NEWLINE END']), options(3));
    expect(outcomes.map((o) => [o.executed, o.record.success])).toEqual([[true, true], [false, true], [true, true]]);
    expect(envs[0]!.memory.executed).toBe(2);
    // Budget accounting reads the memory after each lane's result, in lane order.
    expect(outcomes.map((o) => o.executedSoFar)).toEqual([1, 1, 2]);
  });

  it('records programs finished at one step in lane order, whatever order the executor answers in', async () => {
    // The executor answers the first program sent last: lane 1's result arrives before lane 0's.
    let calls = 0;
    const slowFirst = {
      run: async (...args: Parameters<typeof executor.run>) => {
        const delay = calls++ === 0 ? 200 : 0;
        const result = await executor.run(...args);
        await new Promise((r) => setTimeout(r, delay));
        return result;
      },
    } as unknown as typeof executor;
    const memory = new ProgramMemory(false);
    const envs = [0, 1].map((k) => new CodeEnv({ problems, executor: slowFirst, maxSteps: 16, seed: k, memory }));
    const programs = ['return P0 - P1 NEWLINE END', 'return P0 * P1 NEWLINE END']; // not run by the test above (the executor's cache would answer)
    const outcomes = await runEpisodes(envs, scripted(programs), options(2));
    expect(outcomes.map((o) => o.executedSoFar)).toEqual([1, 2]);
    expect(ProgramMemory.programsOf(memory.snapshot()).map((p) => p.tokens)).toEqual(programs.map((p) => tokenIds(p)));
  });

  it('keeps acting in the other lanes while a finished program is judged', async () => {
    let running = 0;
    const slow = {
      run: async (...args: Parameters<typeof executor.run>) => {
        running++;
        try {
          const result = await executor.run(...args);
          await new Promise((r) => setTimeout(r, 100));
          return result;
        } finally {
          running--;
        }
      },
    } as unknown as typeof executor;
    const memory = new ProgramMemory(false);
    const envs = [0, 1].map((k) => new CodeEnv({ problems, executor: slow, maxSteps: 16, seed: k, memory }));
    const agent = scripted(['return P1 NEWLINE END', 'return P0 + P1 - P0 * P1 NEWLINE END']);
    const decidedWhileJudging: number[] = [];
    const actBatch = agent.actBatch.bind(agent);
    agent.actBatch = (states, masks, rows, epsilon) => {
      if (running > 0) decidedWhileJudging.push(...rows.map((r) => r.lane));
      return actBatch(states, masks, rows, epsilon);
    };
    const outcomes = await runEpisodes(envs, agent, options(2));
    // Lane 0 finished after two decisions; lane 1 wrote its remaining tokens while lane 0's program ran.
    expect(decidedWhileJudging.length).toBeGreaterThan(0);
    expect(new Set(decidedWhileJudging)).toEqual(new Set([1]));
    expect(outcomes.map((o) => o.executedSoFar)).toEqual([1, 2]);
  });

  it('stepwise, learns from a finished program before the other lanes decide again', async () => {
    const memory = new ProgramMemory(false);
    const envs = [0, 1].map((k) => new CodeEnv({ problems, executor, maxSteps: 16, seed: k, memory }));
    const agent = scripted(['return P0 NEWLINE END', 'return P1 - P0 + P1 NEWLINE END']); // not run above (the executor's cache would answer)
    const events: string[] = [];
    const actBatch = agent.actBatch.bind(agent);
    agent.actBatch = (states, masks, rows, epsilon) => (events.push(`act ${rows.map((r) => r.lane).join(',')}`), actBatch(states, masks, rows, epsilon));
    agent.observe = (t) => void (t.done && events.push(`learn ${t.program!.length}`));
    const outcomes = await runEpisodesStepwise(envs, agent, options(2).map((o) => ({ ...o, learn: true })));
    // Lane 0's program (4 tokens) ends at the third decision; lane 1's (8 tokens) at the seventh.
    expect(events).toEqual(['act 0,1', 'act 0,1', 'act 0,1', 'learn 4', 'act 1', 'act 1', 'act 1', 'act 1', 'learn 8']);
    expect(outcomes.map((o) => [o.executedSoFar, o.decisions])).toEqual([[1, 3], [2, 7]]);
  });
});
