import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledProblems } from '#lab/env/test-problems.ts';
import { createExecutor } from '#lab/executor/executor.ts';
import { PRESETS_DIR } from '#lab/paths.ts';
import { parseConfigYaml } from '#shared/config/parse-config-yaml.ts';
import { runSolve } from './run-solve.ts';

const executor = createExecutor();
afterAll(() => executor.close());

describe('a solve run', () => {
  it('charges each agent for every program it runs, even one an earlier agent of the run already ran', async () => {
    const config = parseConfigYaml(readFileSync(join(PRESETS_DIR, 'default.yaml'), 'utf8')).config!;
    const problems = bundledProblems('seed-train').slice(0, 8);
    // The same agent twice, same seed: it writes the same programs, so it must report the same counts.
    const { results } = await runSolve({ problems, agents: ['random', 'random'], budget: 200, seed: 1, config, executor });
    const [first, second] = [results.slice(0, 8), results.slice(8)];
    expect(second.map((r) => [r.solved, r.samples_executed])).toEqual(first.map((r) => [r.solved, r.samples_executed]));
    expect(first.some((r) => r.solved)).toBe(true);
  });
});
