import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { Sample } from '#shared/executor/sample.ts';
import { createExecutor } from './executor.ts';

const executor = createExecutor({ cacheSize: 0, pooledWorkers: 2, isolatedWorkers: 2, batchSize: 1, warn: () => undefined });
afterAll(() => executor.close());

/** What hash('abc') is under PYTHONHASHSEED=0 for this interpreter (siphash differs by version). */
const seeded = execFileSync(executor.python, ['-c', 'print(hash("abc"))'], { env: { PYTHONHASHSEED: '0' }, encoding: 'utf8' }).trim();

const hashes = (n: number): Sample[] =>
  Array.from({ length: n }, (_, i) => ({
    code: `def f(s):\n    return hash(s) + ${i} - ${i}\n`,
    functionName: 'f',
    tests: [{ args: ['abc'], expected: { $int: seeded } }],
  }));

describe('worker determinism', () => {
  it('hashes strings with seed 0 in every pooled worker', async () => {
    const results = await executor.runMany(hashes(8), 'pooled');
    expect(results.map((r) => r.verdict)).toEqual(Array(8).fill('passed'));
  });

  it.runIf(executor.sandbox.kind !== 'none')('hashes strings with seed 0 in every isolated fork', async () => {
    const results = await executor.runMany(hashes(8), 'isolated');
    expect(results.map((r) => r.verdict)).toEqual(Array(8).fill('passed'));
  });

  it.runIf(executor.sandbox.kind !== 'none')('keeps the harness folder off the candidate\'s sys.path', async () => {
    const r = await executor.run({
      code: 'import sys\ndef f():\n    return [p for p in sys.path if "harness" in p or "resources" in p]\n',
      functionName: 'f',
      tests: [{ args: [], expected: [] }],
    }, 'isolated');
    expect(r.verdict).toBe('passed');
  });
});
