import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgConfigSchema } from '#lab/agents/policy-gradient/pg-config.ts';
import { pretrainedStart } from '#lab/evaluation/policy-agents.ts';
import { solveProblem } from '#lab/evaluation/solve.ts';
import { createExecutor } from '#lab/executor/executor.ts';
import { parseConfigObject } from '#shared/config/parse-config-yaml.ts';
import { problemSchema, type Problem } from '#shared/problems/problem.ts';
import { loadPolicyModel, savePolicyModel } from './policy-model.ts';
import { buildCorpus } from './pretraining-corpus.ts';
import { pretrainPolicy } from './supervised-pretraining.ts';
import { mbppTrainSplit } from './training-split.ts';
import { PRETRAINED_POLICY_DIR } from '#lab/paths.ts';

const executor = createExecutor({ cacheSize: 0, warn: () => undefined });
const dir = mkdtempSync(join(tmpdir(), 'pretraining-'));
afterAll(async () => {
  await executor.close();
  rmSync(dir, { recursive: true, force: true });
});

const problem = (p: Record<string, unknown>): Problem => problemSchema.parse(p);

describe('pretraining', () => {
  it('trains on generated and searched problems, saves a model, and a solve run starts from it', { timeout: 300_000 }, async () => {
    const searched = [problem({ function_name: 'add', docstring: 'Add a and b.', parameters: ['a', 'b'], test_cases: [[[1, 2], 3], [[0, 5], 5]] })];
    const corpus = await buildCorpus({ executor, generated: 60, seed: 2, maxSteps: 12, searched, searchBudget: 200 });
    expect(corpus.generated).toBe(60);
    expect(corpus.searchedFound).toBe(1);
    const losses: number[] = [];
    const network = await pretrainPolicy(corpus, { epochs: 3, hidden: 32, learningRate: 0.003, batchSize: 16, seed: 1, maxSteps: 12, onEpoch: (_, loss) => losses.push(loss) });
    expect(losses[2]!).toBeLessThan(losses[0]!);
    const pg = pgConfigSchema.parse({ hidden_dim: 32 });
    savePolicyModel(join(dir, 'model'), network, { max_steps: 12, state_layout: 'signatures', pg, trained_on: { generated: 60 } });
    expect(loadPolicyModel(join(dir, 'model')).meta.max_steps).toBe(12);
    const start = pretrainedStart(join(dir, 'model'), parseConfigObject({ reward: { preset: 'default' } }).config!, 1);
    expect(start.config.environment).toMatchObject({ max_steps: 12, state_layout: 'signatures' });
    const negate = problem({ function_name: 'negate', docstring: 'Return -n.', parameters: ['n'], test_cases: [[3, -3], [-4, 4], [0, 0]] });
    const result = await solveProblem({ problem: negate, agent: 'pretrained', config: start.config, executor, budget: 300, seed: 1, startFrom: start.saved });
    expect(result).toMatchObject({ agent: 'pretrained', solved: true });
    expect(result.samples_executed).toBeLessThanOrEqual(300);
    expect(result.program).toContain('return');
    // guided-oe: the policy spends 30% of the budget, enumeration the rest; a problem no program
    // passes (its tests disagree) uses all of it, each program counted once.
    const impossible = problem({ function_name: 'f', docstring: 'Return n.', parameters: ['n'], test_cases: [[1, 1], [1, 2]] });
    executor.cache.clear();
    const guided = await solveProblem({ problem: impossible, agent: 'guided-oe', config: start.config, executor, budget: 40, seed: 1, startFrom: start.saved });
    expect(guided).toMatchObject({ agent: 'guided-oe', solved: false, samples_executed: 40, program: null });
    expect(guided.episodes).toBeGreaterThanOrEqual(40);
    const solvedGuided = await solveProblem({ problem: negate, agent: 'guided-oe', config: start.config, executor, budget: 300, seed: 1, startFrom: start.saved });
    expect(solvedGuided).toMatchObject({ agent: 'guided-oe', solved: true });
    // best-first: the same policy share, then bottom-up search priced by the model's network.
    executor.cache.clear();
    const best = { config: start.config, executor, seed: 1, startFrom: start.saved, policy: start.network } as const;
    expect(await solveProblem({ ...best, problem: impossible, agent: 'best-first', budget: 40 })).toMatchObject({ solved: false, samples_executed: 40, program: null });
    expect(await solveProblem({ ...best, problem: negate, agent: 'best-first', budget: 300 })).toMatchObject({ agent: 'best-first', solved: true });
  });
});

describe("MBPP's train split", () => {
  it('holds tasks 601-974 only, never the test split', () => {
    const tasks = [1, 11, 300, 510, 511, 600, 601, 700, 974].map((id) => problem({ function_name: 'f', docstring: '', test_cases: [[1, 1]], source: `mbpp/${id}` }));
    expect(mbppTrainSplit(tasks).map((p) => p.source)).toEqual(['mbpp/601', 'mbpp/700', 'mbpp/974']);
  });
});

describe('the shipped pretrained policy', () => {
  it('is the network solve starts from, with the settings and training record docs/pretraining.md gives', () => {
    const { network, meta } = loadPolicyModel(PRETRAINED_POLICY_DIR);
    expect(network.shape).toEqual({ inputSize: 792, hidden: 256, actions: 85 });
    expect(meta).toMatchObject({ max_steps: 16, state_layout: 'signatures', pg: { update: 'pqt', learning_rate: 3e-4, temperature: 0.8 } });
    expect(meta.trained_on).toMatchObject({ generated: 40_000, generated_seed: 1, searched_sets: ['seed-train', 'mbpp train split (tasks 601-974)'], epochs: 3 });
  });
});
