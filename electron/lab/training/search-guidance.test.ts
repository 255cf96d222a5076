import { afterAll, describe, expect, it } from 'vitest';
import { bundledProblems } from '#lab/env/test-problems.ts';
import { ProgramMemory } from '#lab/env/program-memory.ts';
import { createExecutor } from '#lab/executor/executor.ts';
import { parseConfigObject } from '#shared/config/parse-config-yaml.ts';
import { createRun } from './create-run.ts';
import { RunState } from './run-state.ts';
import { SearchGuidance } from './search-guidance.ts';

const executor = createExecutor({ warn: () => undefined });
afterAll(() => executor.close());

/** The executor, counting how many programs it was handed at once at most. */
function countingExecutor() {
  const seen = { inFlight: 0, most: 0, runs: 0 };
  const wrapped = {
    run: async (...args: Parameters<typeof executor.run>) => {
      seen.runs++;
      seen.most = Math.max(seen.most, ++seen.inFlight);
      try {
        return await executor.run(...args);
      } finally {
        seen.inFlight--;
      }
    },
  } as unknown as typeof executor;
  return { wrapped, seen };
}

describe('search-guided exploration', () => {
  it('runs a batch\'s search programs together, search_programs per episode, none twice', async () => {
    const config = parseConfigObject({
      environment: { max_steps: 8, avoid_repeats: true },
      agent: { hidden_dim: 16, batch_size: 8, learning_starts: 1000, device: 'wasm' },
      training: { num_envs: 4, search_programs: 3, seed: 3 },
    }).config!;
    const problems = bundledProblems('seed-train');
    const { wrapped, seen } = countingExecutor();
    const run = await createRun(config, problems, wrapped, { seed: 3 });
    try {
      const state = RunState.fresh(config);
      const guidance = new SearchGuidance(run, state);
      // Two episodes on problem 0 and one each on problems 1 and 2: three programs each.
      const round = guidance.start([0, 0, 1, 2], [1, 2, 3, 4]);
      expect(seen.most).toBe(12);
      await guidance.settle(round);
      await guidance.finish(round);
      expect(state.searchPrograms).toBe(12);
      // Every proposal was a new program for its problem: no memory hits, twelve runs.
      expect(seen.runs).toBe(12);
      expect(run.memory.executed).toBe(12);
      expect(ProgramMemory.programsOf(run.memory.snapshot()).length).toBe(12);
    } finally {
      run.dispose();
    }
  });
});
