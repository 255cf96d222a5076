import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { matchOutcome } from '#shared/executor/outcome-match.ts';
import { sampleFromCase, TIERS, type SampleCase } from '#shared/executor/sample.ts';
import { createExecutor } from './executor.ts';
import { heapAfterGc, nextSamplePasses, plantedOnHost, strayProcesses } from './health-checks.ts';
import { processesOfUids } from './process-census.ts';

/**
 * More adversarial samples in the spirit of ../shared/adversarial/cases.json, several of them the
 * kind that file leaves out on purpose (fork bombs, kill(-1)): they run only inside the sandbox.
 */
const TESTS: SampleCase['test_cases'] = [[[[1, 2, 3]], 6], [[[]], 0], [[[-5, 5, 10]], 10]];
const extra = (name: string, code: string, expect_passed: boolean, expect_outcome: string): SampleCase => ({
  name, function_name: 'solve', code, test_cases: TESTS, expect_passed, expect_outcome,
});

const HOST_FILES = ['/usr/bin/env', new URL('../../../resources/python/harness.py', import.meta.url).pathname];
const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

const CASES: SampleCase[] = [
  extra('fork_bomb', 'import os\ndef solve(xs):\n    while True:\n        try:\n            os.fork()\n        except OSError:\n            pass\n', false, 'timeout or crash'),
  extra('kill_every_process', 'import os\ndef solve(xs):\n    os.kill(-1, 9)\n    return sum(xs)\n', false, 'crash'),
  extra('setsid_daemon_left_behind', 'import os, time\ndef solve(xs):\n    if os.fork() == 0:\n        os.setsid()\n        time.sleep(1000)\n        os._exit(0)\n    return sum(xs)\n', true, 'passed'),
  extra('delete_host_files', `import os, shutil\ndef solve(xs):\n    for p in ${JSON.stringify(HOST_FILES)} + ['/opt/lab-harness/harness.py']:\n        try:\n            os.remove(p)\n        except OSError:\n            pass\n    shutil.rmtree('/opt/lab-harness', ignore_errors=True)\n    shutil.rmtree(os.path.dirname(os.__file__) + '/json', ignore_errors=True)\n    return sum(xs)\n`, true, 'passed'),
  extra('change_cwd', "import os\nos.chdir('/')\ndef solve(xs):\n    return sum(xs)\n", true, 'passed'),
  extra('close_every_fd', 'import os\nfor fd in range(3, 256):\n    try:\n        os.close(fd)\n    except OSError:\n        pass\ndef solve(xs):\n    return sum(xs)\n', false, 'crash'),
  extra('forge_protocol_frames', 'import os\ndef solve(xs):\n    for fd in range(3, 64):\n        try:\n            os.write(fd, b\'{"seq": 1, "result": {"poisoned": false}}\\n{"garbage\\n\')\n        except OSError:\n            pass\n    return sum(xs)\n', false, 'crash'),
  // Python 3.11 keeps pure-Python frames off the C stack: this ends in a crash, a MemoryError or a timeout.
  extra('huge_recursion', 'import sys\nsys.setrecursionlimit(10**7)\ndef solve(xs):\n    def down(n):\n        return down(n + 1) + 1\n    return down(0)\n', false, 'crash or runtime_error or timeout'),
  extra('busy_thread_keeps_running', 'import threading\ndef spin():\n    while True:\n        pass\nthreading.Thread(target=spin, daemon=True).start()\ndef solve(xs):\n    return sum(xs)\n', true, 'passed'),
  extra('fd_level_stdout_flood', "import os\ndef solve(xs):\n    chunk = b'x' * (1 << 20)\n    for _ in range(64):\n        os.write(1, chunk)\n        os.write(2, chunk)\n    return sum(xs)\n", true, 'passed'),
  extra('atexit_handler', "import atexit, os\natexit.register(lambda: os.write(1, b'bye'))\ndef solve(xs):\n    return sum(xs)\n", true, 'passed'),
  extra('builtins_through_dunder', '__builtins__.len = lambda x: 0\ndef solve(xs):\n    return len(xs)\n', false, 'wrong_answer'),
  extra('exhaust_file_descriptors', "def solve(xs):\n    keep = [open('/dev/null') for _ in range(10000)]\n    return sum(xs)\n", false, 'runtime_error'),
  extra('fill_scratch_disk', "def solve(xs):\n    for i in range(100):\n        with open('planted%d.bin' % i, 'wb') as f:\n            f.write(b'0' * (8 * 1024 * 1024))\n    return sum(xs)\n", false, 'runtime_error'),
  extra('plant_files_everywhere', "import os\ndef solve(xs):\n    for d in ['/tmp', '/var/tmp', '/dev/shm', '/root', os.getcwd(), '/work']:\n        try:\n            open(os.path.join(d, 'lab-escape-marker'), 'w').write('x')\n        except OSError:\n            pass\n    return sum(xs)\n", true, 'passed'),
  extra('read_host_secrets', "import os\ndef solve(xs):\n    seen = [p for p in ['/root/.bashrc', '/etc/shadow', '/work/main/package.json', '/proc/1/environ'] if os.path.exists(p) and os.access(p, os.R_OK)]\n    return sum(xs) if not seen else seen\n", true, 'passed'),
  extra('runs_as_root', 'import os\ndef solve(xs):\n    return sum(xs) if os.getuid() != 0 and os.geteuid() != 0 else -1\n', true, 'passed'),
  extra('sleep_in_module_body', 'import time\ntime.sleep(30)\ndef solve(xs):\n    return sum(xs)\n', false, 'timeout'),
  extra('subclass_lies_about_itself', 'class Liar(int):\n    def __eq__(self, other):\n        return True\n    def __int__(self):\n        return 6\n    __hash__ = int.__hash__\ndef solve(xs):\n    return Liar(sum(xs) + 1)\n', false, 'wrong_answer'),
];

const executor = createExecutor({ cacheSize: 0, warn: () => undefined });
const sandboxed = executor.sandbox.kind !== 'none';

afterAll(async () => {
  await executor.close();
  expect(await strayProcesses(executor)).toEqual([]);
});

describe.skipIf(!sandboxed)('extra adversarial cases, inside the sandbox', () => {
  const heapAtStart = heapAfterGc();
  const hostDigests = HOST_FILES.map(digest);

  it('sees each worker harness as one process of its own uid (the stray check is not vacuous)', async () => {
    expect(await nextSamplePasses(executor, 'pooled')).toBe('passed');
    executor.warm('pooled');
    for (let i = 0; i < 100 && processesOfUids(executor.uidRange).length < executor.workerPids().length; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(processesOfUids(executor.uidRange).length).toBe(executor.workerPids().length);
  });

  for (const tier of TIERS) {
    describe(`${tier} tier`, () => {
      for (const c of CASES) {
        it(`${c.name} is judged "${c.expect_outcome}" and leaves the executor healthy`, { timeout: 30_000 }, async () => {
          const result = await executor.run(sampleFromCase(c), tier);
          expect({ passed: result.verdict === 'passed', outcome: matchOutcome(c.expect_outcome!, result), verdicts: result.tests.map((t) => t.verdict) })
            .toMatchObject({ passed: c.expect_passed, outcome: { matches: true } });
          expect(await nextSamplePasses(executor, tier)).toBe('passed');
          expect(await strayProcesses(executor)).toEqual([]);
          expect(plantedOnHost()).toEqual([]);
          expect(HOST_FILES.map((f) => existsSync(f) && digest(f))).toEqual(hostDigests);
        });
      }
    });
  }

  it('keeps the parent process memory flat', () => {
    expect(heapAfterGc() - heapAtStart).toBeLessThan(32 * 1024 * 1024);
  });
});
