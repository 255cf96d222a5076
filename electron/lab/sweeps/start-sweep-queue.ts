import { hostname } from 'node:os';
import type { LabDatabase } from '#lab/store/database.ts';
import { BullRunQueue } from './bullmq-run-queue.ts';
import { SweepController } from './sweep-controller.ts';
import { createWorkerToken } from './worker-tokens.ts';

/**
 * What `lab serve --queue` adds to a lab: the sweep controller on BullMQ, reconciling from now on,
 * and a worker token made for this launch (earlier ones stay valid until revoked).
 */
export function startSweepQueue(db: LabDatabase, url: string, options: { reconcileMs?: number | undefined } = {}): { controller: SweepController; workerToken: string } {
  const controller = new SweepController(db, new BullRunQueue(url), (line) => process.stderr.write(`${line}\n`));
  controller.start(options.reconcileMs);
  const { token } = createWorkerToken(db, `lab serve on ${hostname()}, ${new Date().toISOString()}`);
  return { controller, workerToken: token };
}
