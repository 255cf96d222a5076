import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { matchOutcome } from '#shared/executor/outcome-match.ts';
import { sampleCaseFileSchema, sampleFromCase, TIERS, type SampleCase } from '#shared/executor/sample.ts';
import { createExecutor } from './executor.ts';
import { heapAfterGc, nextSamplePasses, plantedOnHost, strayProcesses } from './health-checks.ts';

const CASES_FILE = new URL('../../../tests/fixtures/adversarial/cases.json', import.meta.url);
const cases: SampleCase[] = sampleCaseFileSchema.parse(JSON.parse(readFileSync(CASES_FILE, 'utf8')));
const executor = createExecutor({ cacheSize: 0, warn: () => undefined });
const sandboxed = executor.sandbox.kind !== 'none';

async function listen(port: number): Promise<{ server: Server; connections: () => number }> {
  let count = 0;
  const server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  return { server, connections: () => count };
}

afterAll(async () => {
  await executor.close();
  expect(executor.workerPids()).toEqual([]);
  expect(await strayProcesses(executor)).toEqual([]);
});

describe.skipIf(!sandboxed)('the shared adversarial cases, inside the sandbox', () => {
  const heapAtStart = heapAfterGc();
  const plantedAtStart = plantedOnHost();

  for (const tier of TIERS) {
    describe(`${tier} tier`, () => {
      for (const c of cases) {
        it(`${c.name} is judged "${c.expect_outcome}" and leaves the executor healthy`, { timeout: 30_000 }, async () => {
          // network_connect must reach nothing: a listener on the host's loopback proves the sandbox
          // has a network namespace of its own (the connection would succeed without one).
          const listener = c.name === 'network_connect' ? await listen(47123) : undefined;
          let result;
          try {
            result = await executor.run(sampleFromCase(c), tier);
          } finally {
            listener?.server.close();
          }
          const check = matchOutcome(c.expect_outcome ?? '', result);
          expect({ passed: result.verdict === 'passed', outcome: check }).toEqual({
            passed: c.expect_passed,
            outcome: { matches: true },
          });
          if (listener) expect(listener.connections()).toBe(0);

          expect(await nextSamplePasses(executor, tier)).toBe('passed');
          expect(await strayProcesses(executor)).toEqual([]);
          expect(plantedOnHost()).toEqual(plantedAtStart);
        });
      }
    });
  }

  it('keeps the parent process memory flat over every case of both tiers', () => {
    // 100 MB of printed output, 50 MB results and crashed workers all passed through this process.
    expect(heapAfterGc() - heapAtStart).toBeLessThan(32 * 1024 * 1024);
  });
});
