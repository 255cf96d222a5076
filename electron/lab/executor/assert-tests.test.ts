import { afterAll, describe, expect, it } from 'vitest';
import type { Sample } from '#shared/executor/sample.ts';
import { createExecutor } from './executor.ts';
import { strayProcesses } from './health-checks.ts';
import { SandboxRefusedError } from './worker-pool.ts';

const executor = createExecutor({ cacheSize: 0, warn: () => undefined });
const sandboxed = executor.sandbox.kind !== 'none';

afterAll(async () => {
  await executor.close();
  expect(await strayProcesses(executor)).toEqual([]);
});

const CODE = 'import math\nSCALE = 2\ndef double(x):\n    return x * SCALE\n';
const withAsserts = (...assertTests: string[]): Sample => ({
  code: CODE,
  functionName: 'double',
  tests: [{ args: [2], expected: 4 }],
  assertTests,
  timeoutMs: 500,
});
const verdicts = (sample: Sample, tier: 'pooled' | 'isolated' = 'isolated') =>
  executor.run(sample, tier).then((r) => r.tests.map((t) => [t.verdict, t.kind ?? 'pair']));

describe.runIf(sandboxed)('assert-style tests', () => {
  it('pass when they raise nothing, and count toward passed/total after the pairs', async () => {
    const r = await executor.run(withAsserts('assert double(3) == 6', 'for i in range(5):\n    assert double(i) == 2 * i'), 'isolated');
    expect([r.verdict, r.passed, r.total]).toEqual(['passed', 3, 3]);
    expect(r.tests.map((t) => t.kind)).toEqual([undefined, 'assert', 'assert']);
  });

  it('fail the sample with wrong_answer on an AssertionError, even when every pair passes', async () => {
    const r = await executor.run(withAsserts('assert double(3) == 7, "three"'), 'isolated');
    expect([r.verdict, r.passed, r.total]).toEqual(['wrong_answer', 1, 2]);
    expect(r.tests[1]).toMatchObject({ verdict: 'wrong_answer', exception: 'AssertionError', message: 'three', kind: 'assert' });
  });

  it('report any other exception as runtime_error with its type', async () => {
    const r = await executor.run(withAsserts('assert double(None) == 0'), 'isolated');
    expect(r.tests[1]).toMatchObject({ verdict: 'runtime_error', exception: 'TypeError', kind: 'assert' });
  });

  it('run in the candidate\'s namespace, seeing its imports and globals', async () => {
    expect(await verdicts(withAsserts('assert math.sqrt(double(2)) == 2 and SCALE == 2'))).toEqual([
      ['passed', 'pair'],
      ['passed', 'assert'],
    ]);
  });

  it('get the per-test timeout each, and the tests after a timeout are not run', async () => {
    expect(await verdicts(withAsserts('while True:\n    pass', 'assert double(1) == 2'))).toEqual([
      ['passed', 'pair'],
      ['timeout', 'assert'],
      ['timeout', 'assert'],
    ]);
  });

  it('run in a forked child in the pooled tier, never in the in-process fast path', async () => {
    const r = await executor.run(withAsserts('assert double(3) == 6'), 'pooled');
    expect([r.verdict, r.mode]).toEqual(['passed', 'fork']);
  });

  it('cannot change the pooled worker that forked them', async () => {
    await executor.run(withAsserts('import builtins\nbuiltins.len = lambda x: 0'), 'pooled');
    const r = await executor.run({ code: 'def double(x):\n    return len([x]) * x * 2\n', functionName: 'double', tests: [{ args: [3], expected: 6 }] });
    expect([r.verdict, r.mode]).toEqual(['passed', 'inproc']);
  });
});

describe('assert-style tests without a sandbox', () => {
  it('are refused rather than run unconfined, even when the code passes the in-process screen', async () => {
    const bare = createExecutor({ cacheSize: 0, sandbox: 'none', warn: () => undefined });
    try {
      const sample = { ...withAsserts('assert double(3) == 6'), code: 'def double(x):\n    return x * 2\n' };
      await expect(bare.run(sample, 'pooled')).rejects.toThrow(
        new SandboxRefusedError('no sandbox, and the code comes with assert tests (dataset code): refused rather than run unconfined'),
      );
    } finally {
      await bare.close();
    }
  });
});
