import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeStaleWorkDirs } from './sweep-worker.ts';

/** A pid no process has: past Linux's default pid_max. */
const DEAD_PID = 4_194_400;

describe("a worker's start-up", () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("removes dead workers' scratch folders, keeps its own and live ones, and goes on past one it cannot remove", () => {
    root = mkdtempSync(join(tmpdir(), 'lab-workers-'));
    for (const name of [`worker-${DEAD_PID}`, `worker-${DEAD_PID + 1}`, `worker-${process.pid}`, `worker-${process.ppid}`, 'notes']) mkdirSync(join(root, name));
    const lines: string[] = [];
    removeStaleWorkDirs(root, (line) => lines.push(line), (dir) => {
      if (dir.endsWith(`worker-${DEAD_PID}`)) throw new Error('ENOTEMPTY: directory not empty');
      rmSync(dir, { recursive: true });
    });
    expect([DEAD_PID, DEAD_PID + 1, process.pid, process.ppid].map((pid) => existsSync(join(root, `worker-${pid}`)))).toEqual([true, false, true, true]);
    expect(existsSync(join(root, 'notes'))).toBe(true);
    expect(lines).toEqual([`left the scratch folder worker-${DEAD_PID} of a stopped worker for later: ENOTEMPTY: directory not empty`]);
  });
});
