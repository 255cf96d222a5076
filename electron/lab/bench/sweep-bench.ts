import { hostname } from 'node:os';
import { exited, startCluster, TEST_SETTINGS, tinySweep, type Cluster } from './sweep-cluster.ts';

export interface SweepBenchResult {
  runs: number;
  episodes: number;
  /** Runs finished per minute, by number of workers (concurrency 1 each). */
  runsPerMinute: Record<string, number>;
  speedup: Record<string, number>;
  /** From kill -9 of a worker to the run's next attempt on another worker, with the lock and stall check below. */
  requeueMs: number;
  lockMs: number;
  stalledCheckMs: number;
  /** From the trainer's report on the worker to the row stored by the lab, over every metric batch of the 4-worker sweep. */
  emitToStoredMs: { p50: number; p95: number; batches: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

async function timedSweep(cluster: Cluster, runs: number, episodes: number, name: string): Promise<{ minutes: number; sweepId: number }> {
  const started = Date.now();
  const { sweep_id } = await cluster.createSweep(tinySweep(name, runs, episodes));
  await cluster.waitForSweep(sweep_id, 30 * 60_000);
  return { minutes: (Date.now() - started) / 60_000, sweepId: sweep_id };
}

async function requeueAfterKill(cluster: Cluster): Promise<number> {
  const { sweep_id } = await cluster.createSweep(tinySweep('requeue', 1, 2000));
  for (;;) {
    const run = (await cluster.call('sweeps.get', { id: sweep_id })).runs[0]!;
    const worker = cluster.workers.find((w) => run.worker_host === `${hostname()}/${w.pid}`);
    if (run.status === 'running' && run.episodes_done > 0 && worker) {
      worker.kill('SIGKILL');
      await exited(worker);
      const killed = Date.now();
      for (;;) {
        const again = (await cluster.call('sweeps.get', { id: sweep_id })).runs[0]!;
        if (again.attempts > run.attempts) {
          await cluster.call('sweeps.stop', { id: sweep_id });
          return Date.now() - killed;
        }
        await sleep(100);
      }
    }
    await sleep(200);
  }
}

/**
 * Sweeps of short real runs on 1, 2 and 4 workers (each its own process, one run at a time) against
 * one Redis and one lab server on loopback; then a worker killed mid-run. The 1-worker sweep is
 * the baseline of the speed-ups.
 */
export async function runSweepBench(runs = 8, episodes = 30): Promise<SweepBenchResult> {
  const runsPerMinute: Record<string, number> = {};
  let requeueMs = Number.NaN;
  let emit: number[] = [];
  for (const workers of [1, 2, 4]) {
    const cluster = await startCluster(`bench-${workers}`);
    try {
      await Promise.all(Array.from({ length: workers }, () => cluster.readyWorker()));
      const { minutes, sweepId } = await timedSweep(cluster, runs, episodes, `bench-${workers}`);
      runsPerMinute[workers] = runs / minutes;
      if (workers === 4) {
        const db = cluster.readDb();
        try {
          emit = (
            db
              .prepare("SELECT b.stored_at - b.emitted_at AS ms FROM run_batches b JOIN sweep_runs r USING (experiment_id) WHERE b.kind = 'metrics' AND r.sweep_id = ?")
              .all(sweepId) as { ms: number }[]
          )
            .map((r) => r.ms)
            .sort((a, b) => a - b);
        } finally {
          db.close();
        }
        requeueMs = await requeueAfterKill(cluster);
      }
    } finally {
      await cluster.close();
    }
  }
  const base = runsPerMinute[1]!;
  return {
    runs,
    episodes,
    runsPerMinute,
    speedup: { 2: runsPerMinute[2]! / base, 4: runsPerMinute[4]! / base },
    requeueMs,
    lockMs: TEST_SETTINGS.lockMs,
    stalledCheckMs: TEST_SETTINGS.stallMs,
    emitToStoredMs: { p50: quantile(emit, 0.5), p95: quantile(emit, 0.95), batches: emit.length },
  };
}
