import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.ts';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const TINY_CONFIG = `environment:
  max_steps: 8
agent:
  hidden_dim: 32
  batch_size: 16
  learning_starts: 16
  device: wasm
training:
  num_episodes: 12
  save_frequency: 6
  eval_frequency: 6
  seed: 3
`;

describe('training from the command line', () => {
  let dir: string;
  let db: string;
  let config: string;
  let experimentId: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-train-cli-'));
    db = join(dir, 'lab.sqlite');
    config = join(dir, 'tiny.yaml');
    writeFileSync(config, TINY_CONFIG);
    const trained = await run('train', '--config', config, '--problems', 'seed-train', '--name', 'tiny', '--db', db, '--json');
    expect(trained.code).toBe(0);
    experimentId = (JSON.parse(trained.out) as { experiment: { id: number } }).experiment.id;
  }, 120_000);

  it('trains an experiment to the end in its own process and reports it', async () => {
    const shown = await run('experiments', 'show', String(experimentId), '--db', db, '--json');
    expect(JSON.parse(shown.out).experiment).toMatchObject({ name: 'tiny', agent: 'dqn', status: 'done', episodes_done: 12, backend: 'wasm', problem_set_name: 'seed-train' });
    expect(JSON.parse(shown.out).metrics).toEqual(expect.arrayContaining(['charts/episodic_return', 'charts/greedy_success_rate', 'rewards/correctness']));
  });

  it('exports the metrics as CSV, one row per step', async () => {
    const csv = await run('experiments', 'export', String(experimentId), '--db', db);
    const [header, ...rows] = csv.out.trim().split('\n');
    expect(header!.split(',').slice(0, 3)).toEqual(['step', 'episode', 'wall_time']);
    expect(header).toContain('charts/episodic_return');
    expect(rows.length).toBeGreaterThanOrEqual(12);
  });

  it('refuses a config with a likely typo, naming its line', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'agent:\n  learning_rat: 0.1\n');
    const result = await run('train', '--config', bad, '--db', db);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${bad}:2:3: agent.learning_rat: unknown key "learning_rat": did you mean "learning_rate"?`);
  });

  it("evaluates the trained experiment on the seed's eval set, per problem", async () => {
    const result = await run('evaluate', '--experiment', String(experimentId), '--problems', 'seed-eval', '--num-episodes', '2', '--db', db, '--json');
    expect(result.code).toBe(0);
    const evaluation = JSON.parse(result.out) as { problems: { problem: string; episodes: number }[] };
    expect(evaluation.problems.map((p) => [p.problem, p.episodes])).toEqual([['multiply', 2], ['is_prime', 2], ['find_min', 2]]);
  }, 60_000);

  it('solves a new problem by enumeration within a budget, reporting samples-to-solution', async () => {
    const file = join(dir, 'negate.json');
    writeFileSync(file, JSON.stringify([{ function_name: 'negate', docstring: 'Return -n.', parameters: ['n'], test_cases: [[3, -3], [0, 0], [-2, 2]] }]));
    const result = await run('solve', '--problems', file, '--budget', '200', '--agent', 'enumerate', '--config', config, '--db', db, '--json');
    expect(result.code).toBe(0);
    const solved = JSON.parse(result.out) as { results: { solved: boolean; samples_executed: number; program: string }[] };
    expect(solved.results[0]).toMatchObject({ solved: true, program: 'def negate(n):\n    return -n\n' });
    expect(solved.results[0]!.samples_executed).toBeLessThanOrEqual(200);
  }, 60_000);
});
