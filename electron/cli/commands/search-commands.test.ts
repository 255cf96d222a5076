import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../main.ts';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('generate, pretrain and solve from the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-search-cli-'));
  const db = join(dir, 'lab.sqlite');

  it('generates the same set for the same seed, stored and written as an importable file', async () => {
    const first = await run('generate', '--count', '25', '--seed', '4', '--set', 'gen-a', '--out', join(dir, 'a.json'), '--db', db, '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ set: 'gen-a', problems: 25 });
    const second = await run('generate', '--count', '25', '--seed', '4', '--set', 'gen-b', '--out', join(dir, 'b.json'), '--db', db);
    expect(second.code).toBe(0);
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe(readFileSync(join(dir, 'a.json'), 'utf8'));
    const again = await run('generate', '--count', '25', '--seed', '4', '--set', 'gen-a', '--db', db);
    expect(again.code).toBe(1);
    expect(again.err).toContain('a problem set named "gen-a" already exists');
    const imported = await run('import', join(dir, 'a.json'), '--set', 'gen-imported', '--db', db);
    expect(imported.code).toBe(0);
  }, 120_000);

  it('pretrains a tiny policy and solves with it, beside enumeration with observational equivalence', async () => {
    const model = join(dir, 'model');
    const pretrained = await run('pretrain', '--out', model, '--generated', '40', '--epochs', '2', '--hidden', '16', '--generated-only', '--json');
    expect(pretrained.code).toBe(0);
    expect(JSON.parse(pretrained.out)).toMatchObject({ generated: 40, epochs: 2, searched_sets: [] });
    const file = join(dir, 'negate.json');
    writeFileSync(file, JSON.stringify([{ function_name: 'negate', docstring: 'Return -n.', parameters: ['n'], test_cases: [[3, -3], [0, 0], [-2, 2]] }]));
    const solved = await run('solve', '--problems', file, '--budget', '300', '--agent', 'pretrained,enumerate-oe', '--model', model, '--db', db, '--json');
    expect(solved.code).toBe(0);
    const report = JSON.parse(solved.out) as { summary: { agent: string; problems: number }[]; results: { agent: string; solved: boolean; samples_executed: number; program: string }[] };
    // A policy this small need not solve it; the run must go end to end within the budget.
    expect(report.summary.map((s) => [s.agent, s.problems])).toEqual([['pretrained', 1], ['enumerate-oe', 1]]);
    expect(report.results[0]!.samples_executed).toBeLessThanOrEqual(300);
    expect(report.results[1]).toMatchObject({ solved: true, program: 'def negate(n):\n    return -n\n' });
  }, 300_000);

  it("solves the seed's evaluation set with best-first from the shipped policy, is_prime with a loop", async () => {
    const solved = await run('solve', '--problems', 'seed-eval', '--budget', '1000', '--agent', 'best-first', '--db', db, '--json');
    expect(solved.code).toBe(0);
    const { results } = JSON.parse(solved.out) as { results: { problem: string; solved: boolean; samples_executed: number; program: string }[] };
    expect(results.map((r) => [r.problem, r.solved])).toEqual([['multiply', true], ['is_prime', true], ['find_min', true]]);
    expect(results.every((r) => r.samples_executed <= 1000)).toBe(true);
    expect(results[1]!.program).toMatch(/^def is_prime\(n\):\n {4}for v0 in range\(2, n\):\n {8}if not n % v0:\n {12}return False\n {4}return /);
  }, 120_000);

  it('refuses an unknown agent, naming the ones there are', async () => {
    const result = await run('solve', '--problems', 'seed-eval', '--budget', '10', '--agent', 'nope', '--db', db);
    expect(result.code).toBe(2);
    expect(result.err).toContain('unknown agent "nope" (pretrained, guided-oe, best-first, enumerate-oe, dqn, pqt, rspg, random, enumerate)');
  });

  it('solves only the problems whose task number is in --tasks, and refuses a malformed range', async () => {
    const file = join(dir, 'numbered.json');
    const problem = (n: number) => ({ name: `set/${n}`, function_name: `f${n}`, docstring: 'Return n.', parameters: ['n'], test_cases: [[1, 1], [2, 2]] });
    writeFileSync(file, JSON.stringify([problem(9), problem(10), problem(11), problem(12)]));
    const solved = await run('solve', '--problems', file, '--tasks', '10-11', '--budget', '20', '--agent', 'enumerate-oe', '--db', db, '--json');
    expect(solved.code).toBe(0);
    expect((JSON.parse(solved.out) as { results: { problem: string }[] }).results.map((r) => r.problem)).toEqual(['set/10', 'set/11']);
    const bad = await run('solve', '--problems', file, '--tasks', '11-10', '--budget', '20', '--db', db);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--tasks expects FIRST-LAST with FIRST <= LAST (e.g. 11-510), got "11-10"');
    const none = await run('solve', '--problems', file, '--tasks', '100-200', '--budget', '20', '--agent', 'enumerate-oe', '--db', db);
    expect(none.code).toBe(2);
    expect(none.err).toContain('has a task number in 100-200');
  });
});
