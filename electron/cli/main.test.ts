import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '#lab/store/database.ts';
import { syntheticProblemFile } from '#lab/bench/synthetic-problems.ts';
import { main } from './main.ts';

const DATASETS = new URL('../../tests/fixtures/datasets', import.meta.url).pathname;
const CLI = new URL('./lab.js', import.meta.url).pathname;

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lab-cli-'));
}

function snapshot(dbPath: string): unknown {
  const db = openDatabase(dbPath);
  const state = {
    sets: db.prepare('SELECT id, name, description FROM problem_sets ORDER BY id').all(),
    problems: db.prepare('SELECT set_id, position, name, body FROM problems ORDER BY id').all(),
  };
  db.close();
  return state;
}

const seedProblem = (name: string) => ({ function_name: name, docstring: 'd', test_cases: [[[1, 2], 3]], parameters: ['a', 'b'] });

describe('lab command line', () => {
  it('prints the overview with --help and exits 0', async () => {
    const result = await run('--help');
    expect(result.code).toBe(0);
    expect(result.out).toContain('import');
    expect(result.out).toContain('exit codes: 0 success, 1 refused input, 2 usage error');
  });

  it('exits 2 without a command, with an unknown command and with an unknown option', async () => {
    expect((await run()).code).toBe(2);
    expect(await run('fly')).toMatchObject({ code: 2, err: expect.stringContaining('unknown command "fly"') });
    expect((await run('problems', '--colour')).code).toBe(2);
    expect((await run('import')).code).toBe(2);
  });

  it('exits 2 for a file that does not exist', async () => {
    const result = await run('import', '/nonexistent/x.json', '--db', join(tempDir(), 'lab.sqlite'));
    expect(result.code).toBe(2);
    expect(result.err).toContain('/nonexistent/x.json: no such file');
  });

  it('installs the bundled sets in a fresh database', async () => {
    const result = await run('problems', '--db', join(tempDir(), 'lab.sqlite'), '--json');
    expect(result.code).toBe(0);
    const names = (JSON.parse(result.out) as { name: string; bundled: boolean }[]).filter((s) => s.bundled).map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['seed-train', 'seed-eval']));
  });

  it('imports both wrapper forms and lists the problems', async () => {
    const dir = tempDir();
    const db = join(dir, 'lab.sqlite');
    writeFileSync(join(dir, 'plain.json'), JSON.stringify([seedProblem('a1')]));
    writeFileSync(join(dir, 'wrapped.json'), JSON.stringify({ problems: [seedProblem('b1')] }));
    expect((await run('import', join(dir, 'plain.json'), '--db', db)).code).toBe(0);
    const imported = await run('import', join(dir, 'wrapped.json'), '--db', db, '--json');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.out)).toMatchObject({ ok: true, set: 'wrapped', problems: [{ name: 'b1', tests: 1 }] });
    const listed = await run('problems', 'plain', '--db', db, '--json');
    expect(JSON.parse(listed.out).problems.map((p: { function_name: string }) => p.function_name)).toEqual(['a1']);
  });

  it('refuses a bad file with exit 1 and leaves the database exactly as it was', async () => {
    const dir = tempDir();
    const db = join(dir, 'lab.sqlite');
    writeFileSync(join(dir, 'good.json'), JSON.stringify([seedProblem('a1')]));
    await run('import', join(dir, 'good.json'), '--db', db);
    const before = snapshot(db);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify([seedProblem('x'), { ...seedProblem('y'), test_cases: [[1]] }]));
    const result = await run('import', join(dir, 'good.json'), join(dir, 'bad.json'), '--db', db, '--set', 'more');
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${join(dir, 'bad.json')}:1:139: [1].test_cases[0]: expected [input, expected]`);
    expect(result.err).toContain('nothing imported: 1 error');
    expect(snapshot(db)).toEqual(before);
  });

  it('refuses a set name that exists unless --replace is given', async () => {
    const dir = tempDir();
    const db = join(dir, 'lab.sqlite');
    writeFileSync(join(dir, 's.json'), JSON.stringify([seedProblem('a1')]));
    await run('import', join(dir, 's.json'), '--db', db);
    const again = await run('import', join(dir, 's.json'), '--db', db);
    expect(again.code).toBe(1);
    expect(again.err).toContain('a problem set named "s" already exists');
    expect((await run('import', join(dir, 's.json'), '--db', db, '--replace')).code).toBe(0);
  });

  it('stores nothing on --dry-run', async () => {
    const dir = tempDir();
    const db = join(dir, 'lab.sqlite');
    writeFileSync(join(dir, 'd.json'), JSON.stringify([seedProblem('a1')]));
    const result = await run('import', join(dir, 'd.json'), '--db', db, '--dry-run');
    expect(result.code).toBe(0);
    expect(result.err).toContain('1 problems would be imported into "d" (dry run: nothing stored)');
    expect(JSON.stringify(snapshot(db))).not.toContain('"name":"d"');
  });

  it('imports the raw HumanEval and MBPP files', async () => {
    const dir = tempDir();
    const db = join(dir, 'lab.sqlite');
    const humaneval = await run('import', join(DATASETS, 'HumanEval.jsonl.gz'), '--db', db, '--json', '--set', 'he');
    expect(humaneval.code).toBe(0);
    expect(JSON.parse(humaneval.out).files[0]).toMatchObject({ format: 'humaneval', problems: 164 });
    const mbpp = await run('import', join(DATASETS, 'mbpp.jsonl'), '--db', db, '--json', '--set', 'mb');
    expect(mbpp.code).toBe(0);
    expect(JSON.parse(mbpp.out).files[0]).toMatchObject({ format: 'mbpp', problems: 974 });
  });

  it('runs as the `lab` binary', () => {
    const dir = tempDir();
    copyFileSync(new URL('../../data/problems/seed-eval.json', import.meta.url), join(dir, 'e.json'));
    const out = execFileSync(process.execPath, [CLI, 'import', join(dir, 'e.json'), '--db', join(dir, 'lab.sqlite'), '--json', '--set', 'eval2'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(JSON.parse(out)).toMatchObject({ ok: true, set: 'eval2', problems: [{ name: 'multiply' }, { name: 'is_prime' }, { name: 'find_min' }] });
    expect(readFileSync(join(dir, 'lab.sqlite')).length).toBeGreaterThan(0);
  });
});

describe('lab import at scale', () => {
  it('imports a 15 MB file of 5,000 problems within a 160 MB heap', () => {
    const dir = tempDir();
    const file = join(dir, 'synthetic.json');
    writeFileSync(file, syntheticProblemFile());
    const out = execFileSync(process.execPath, ['--max-old-space-size=160', CLI, 'import', file, '--dry-run', '--json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const report = JSON.parse(out) as { ok: boolean; problems: unknown[]; files: { test_pairs: number }[] };
    expect(report.ok).toBe(true);
    expect(report.problems).toHaveLength(5000);
    expect(report.files[0]?.test_pairs).toBe(200_000);
  }, 60_000);
});
