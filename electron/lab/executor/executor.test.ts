import { afterAll, describe, expect, it } from 'vitest';
import type { Sample } from '#shared/executor/sample.ts';
import { createExecutor, type Executor } from './executor.ts';
import { ordinarySample, strayProcesses } from './health-checks.ts';
import { SandboxRefusedError } from './worker-pool.ts';

const opened: Executor[] = [];
function open(options: Parameters<typeof createExecutor>[0] = {}): Executor {
  const executor = createExecutor({ cacheSize: 0, warn: () => undefined, ...options });
  opened.push(executor);
  return executor;
}

afterAll(async () => {
  for (const executor of opened) {
    await executor.close();
    expect(await strayProcesses(executor)).toEqual([]);
  }
});

const one = (code: string, expected: unknown = 6, timeoutMs?: number): Sample => ({
  code,
  functionName: 'solve',
  tests: [{ args: [[1, 2, 3]], expected: expected as never }],
  ...(timeoutMs ? { timeoutMs } : {}),
});

const main = open();
const sandboxed = main.sandbox.kind !== 'none';

describe('the executor', () => {
  it('answers every job exactly once when workers die under a batch', { timeout: 60_000 }, async () => {
    const samples: Sample[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 48; i++) {
      if (i % 12 === 5) {
        samples.push(one(`def solve(xs):\n    while True:\n        pass  # ${i}\n`, 6, 300));
        expected.push('timeout');
      } else if (i % 12 === 9 && sandboxed) {
        samples.push(one(`import os\ndef solve(xs):\n    os._exit(${i})\n`));
        expected.push('crash');
      } else {
        samples.push(ordinarySample());
        expected.push('passed');
      }
    }
    const executor = open({ batchSize: 16 });
    let answers = 0;
    const results = await Promise.all(samples.map((s) => executor.run(s).then((r) => (answers++, r))));
    expect(results.map((r) => r.verdict)).toEqual(expected);
    expect(answers).toBe(samples.length);
  });

  it('replaces a worker killed by a timeout and keeps serving', async () => {
    const executor = open({ pooledWorkers: 1 });
    expect((await executor.run(ordinarySample())).verdict).toBe('passed');
    const before = executor.workerPids();
    expect((await executor.run(one('def solve(xs):\n    while True:\n        pass\n', 6, 200))).verdict).toBe('timeout');
    expect((await executor.run(ordinarySample())).verdict).toBe('passed');
    expect(executor.workerPids()).not.toEqual(before);
    expect(executor.stats().pooled?.killedForTimeout).toBe(1);
  });

  it('answers a repeated sample from the cache', async () => {
    const executor = open({ cacheSize: 100 });
    const sample = ordinarySample();
    const first = await executor.run(sample);
    const second = await executor.run(sample);
    expect([first.cached, second.cached, second.verdict]).toEqual([false, true, 'passed']);
  });

  it('runs a sample sent twice at once a single time, answering the second call as from the cache', async () => {
    const executor = open({ cacheSize: 100 });
    const sample = ordinarySample();
    const [first, second] = await Promise.all([executor.run(sample), executor.run({ ...sample })]);
    expect([first!.cached, second!.cached, second!.verdict]).toEqual([false, true, 'passed']);
  });

  it('runs grammar-style code in process and anything importing os in a forked child', async () => {
    const plain = await main.run(ordinarySample());
    expect(plain.mode).toBe('inproc');
    if (sandboxed) expect((await main.run(one('import os\ndef solve(xs):\n    return sum(xs)\n'))).mode).toBe('fork');
  });

  it('runs the isolated tier in a fresh process per sample', async () => {
    // State left in the interpreter by one sample must be gone for the next. Pids cannot tell:
    // each sandbox has its own pid namespace, so two workers' children may share a pid.
    const code = 'import sys\ndef solve(xs):\n    seen = getattr(sys, "_lab_probe", 0)\n    sys._lab_probe = seen + 1\n    return seen\n';
    const seen: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      const result = await main.run(one(`${code}# run ${i}\n`, 0), 'isolated');
      expect(result.mode).toBe('fork');
      seen.push(result.tests[0]!.actual);
    }
    expect(seen).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('closes with no worker left', async () => {
    const executor = createExecutor({ warn: () => undefined });
    await executor.run(ordinarySample());
    await executor.close();
    expect(executor.workerPids()).toEqual([]);
    expect(await strayProcesses(executor)).toEqual([]);
    await expect(executor.run(ordinarySample())).rejects.toThrow('the executor is closed');
  });
});

describe.skipIf(!sandboxed)('the sandbox', () => {
  const probe = 'import os, socket\ndef solve(xs):\n    try:\n        socket.create_connection(("127.0.0.1", 47124), timeout=1).close()\n        net = "reachable"\n    except OSError as e:\n        net = type(e).__name__\n    return [os.getuid() != 0, sorted(k for k in os.environ if k not in ("PWD", "OLDPWD")), net, os.path.exists("/work")]\n';
  // bwrap brings loopback up in its empty namespace (refused); unshare leaves it down (unreachable).
  // PYTHONHASHSEED is the one variable of ours beyond the basics (see MINIMAL_ENV in sandbox.ts).
  const want = [true, ['HOME', 'LANG', 'PATH', 'PYTHONHASHSEED', 'TMPDIR'], 'ConnectionRefusedError', false];

  it('runs samples as an unprivileged uid with a minimal environment, no network and no host tree', async () => {
    const result = await main.run(one(probe, { $tuple: [] }), 'isolated');
    expect(result.tests[0]!.actual).toEqual(want);
  });

  it('falls back to unshare with the same isolation of uid, network and environment', async () => {
    const executor = open({ sandbox: 'unshare' });
    expect(executor.sandbox.kind).toBe('unshare');
    const result = await executor.run(one(probe, 0), 'isolated');
    const [nonRoot, env, net] = result.tests[0]!.actual as [boolean, string[], string];
    expect([nonRoot, env, net === 'ConnectionRefusedError' || net === 'OSError']).toEqual([true, want[1], true]);
  });
});

describe('without a sandbox', () => {
  const bare = open({ sandbox: 'none' });

  it('says so', () => {
    expect(bare.sandbox).toEqual({ kind: 'none', note: 'sandbox disabled by configuration' });
  });

  it('still runs code that passes the in-process screen', async () => {
    expect((await bare.run(ordinarySample())).verdict).toBe('passed');
  });

  it('refuses anything else in both tiers rather than run it unconfined', async () => {
    const danger = one('import os\ndef solve(xs):\n    os.kill(-1, 9)\n');
    await expect(bare.run(danger)).rejects.toBeInstanceOf(SandboxRefusedError);
    await expect(bare.run(danger, 'isolated')).rejects.toThrow('no sandbox, and the code imports os: refused rather than run unconfined');
  });
});
