import { existsSync, readdirSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import type { Sample, Tier } from '#shared/executor/sample.ts';
import type { Executor } from './executor.ts';
import { descendantsOf, processesOfUids, type ProcessEntry } from './process-census.ts';

/**
 * What the executor's adversarial tests check after every case (../shared/adversarial/README.md):
 * the next ordinary sample passes, nothing the case started is still running, the parent's memory
 * stays flat, and nothing outside the scratch folder changed.
 */

let counter = 0;

/** An ordinary, correct sample with fresh code (so no cache can answer it). */
export function ordinarySample(): Sample {
  counter++;
  return {
    code: `def solve(xs):\n    return sum(xs) + ${counter} - ${counter}\n`,
    functionName: 'solve',
    tests: [
      { args: [[1, 2, 3]], expected: 6 },
      { args: [[]], expected: 0 },
    ],
  };
}

export async function nextSamplePasses(executor: Executor, tier: Tier): Promise<string> {
  return (await executor.run(ordinarySample(), tier)).verdict;
}

/**
 * Processes running as the executor's uids that are not a live worker's harness: must be none.
 * Waits (polling, up to 20 s) for a killed sandbox to finish dying: the kernel tears a pid
 * namespace down asynchronously, and with a full test run on 2 cores a closed executor's harnesses
 * were once still there after 5 s.
 */
export async function strayProcesses(executor: Executor): Promise<ProcessEntry[]> {
  let strays: ProcessEntry[] = [];
  for (let attempt = 0; attempt < 200; attempt++) {
    const workers = executor.workerPids();
    const inWorkers = new Set(descendantsOf(workers).map((p) => p.pid));
    const mine = processesOfUids(executor.uidRange);
    const perWorker = new Map<number, number>();
    strays = mine.filter((p) => !inWorkers.has(p.pid));
    for (const p of mine) perWorker.set(p.ppid, (perWorker.get(p.ppid) ?? 0) + 1);
    // Each sandbox holds exactly one process of ours once a sample is over: its harness.
    const crowded = mine.filter((p) => (perWorker.get(p.ppid) ?? 0) > 1);
    strays = [...strays, ...crowded];
    if (strays.length === 0) return [];
    await new Promise((r) => setTimeout(r, 100));
  }
  return strays;
}

let gcReady = false;

/** Heap in use after a full collection, in bytes. */
export function heapAfterGc(): number {
  if (!gcReady) {
    setFlagsFromString('--expose-gc');
    gcReady = true;
  }
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

/** Names that adversarial samples try to create; they must never appear on the host. */
export const PLANTED_NAMES = ['json.py', 'big.bin', 'lab-escape-marker', 'planted.txt'];

/** Host places a sample could write to if it escaped its scratch folder. */
export function hostWritablePlaces(): string[] {
  return [process.cwd(), '/tmp', '/var/tmp', '/dev/shm', '/root'].filter((d) => existsSync(d));
}

export function plantedOnHost(): string[] {
  return hostWritablePlaces().flatMap((dir) => readdirSync(dir).filter((n) => PLANTED_NAMES.includes(n)).map((n) => `${dir}/${n}`));
}
