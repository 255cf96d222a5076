import { mkdtempSync, writeFileSync } from 'node:fs';
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

function sweepFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lab-sweep-')), 'sweep.yaml');
  writeFileSync(file, text);
  return file;
}

describe('lab sweep create', () => {
  // Files are checked before any lab is contacted: the URL below has nothing listening.
  const lab = ['--lab', 'http://127.0.0.1:9', '--token', 't'];

  it('refuses a bad value with the file, line and column of its parameter', async () => {
    const file = sweepFile('name: s\nbase: fast\nproblems: seed-train\nmethod: grid\nparameters:\n  agent.gamma: {values: [0.9, 2]}\n');
    const { code, err } = await run('sweep', 'create', file, ...lab);
    expect(code).toBe(1);
    expect(err).toBe(`${file}:6:16: parameters.agent.gamma: agent.gamma = 2: expected a number from 0 to 1`);
  });

  it('refuses a base preset that does not exist, at the base line', async () => {
    const file = sweepFile('name: s\nbase: nowhere.yaml\nproblems: seed-train\nmethod: grid\n');
    const { code, err } = await run('sweep', 'create', file, ...lab);
    expect(code).toBe(1);
    expect(err).toBe(`${file}:2:7: base: no preset "nowhere.yaml" (a path relative to the sweep file, or a bundled preset's name)`);
  });

  it('says when the lab cannot be reached, once the file is valid', async () => {
    const file = sweepFile('name: s\nbase: fast\nproblems: seed-train\nmethod: grid\nparameters:\n  training.seed: {values: [1, 2]}\n');
    const { code, err } = await run('sweep', 'create', file, ...lab);
    expect(code).toBe(1);
    expect(err).toMatch(/^lab sweep: the lab at 127\.0\.0\.1:9 did not answer sweeps\.create/);
  });
});
