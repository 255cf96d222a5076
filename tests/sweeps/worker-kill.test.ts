import { hostname } from 'node:os';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt } from '../../electron/server/renderer-build.ts';
import { QUEUE_NAME, QUEUE_PREFIX } from '../../electron/lab/sweeps/bullmq-run-queue.ts';
import { parseRedisUrl } from '../../electron/lab/sweeps/redis-url.ts';
import { descendants, exited, isAlive, startCluster, TEST_SETTINGS, tinySweep, waitForLine, type Cluster } from '../../electron/lab/bench/sweep-cluster.ts';

const KILLS = 10;
// Two workers more than runs: a requeued run finds a free worker at once, so the latency measured is
// the queue's (lock expiry and stall check), not a worker's start-up.
const RUNS = 3;
const WORKERS = 5;
const EPISODES = 400;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('kill -9 of workers mid-run', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    ensureRendererBuilt();
    cluster = await startCluster('kill');
  }, 180_000);

  afterAll(() => cluster?.close(), 60_000);

  it(`requeues the run within 30 s, resumes it from its checkpoint on another worker, and leaves no orphan (${KILLS} kills)`, async () => {
    const workers = await Promise.all(Array.from({ length: WORKERS }, () => cluster.readyWorker()));
    const { sweep_id } = await cluster.createSweep(tinySweep('kill', RUNS, EPISODES));
    const latencies: number[] = [];
    const orphans: number[] = [];
    let starting: Promise<unknown> = Promise.resolve();
    for (let kill = 0; kill < KILLS; kill++) {
      // A worker in the middle of a run: its trainer is up and the run has stored some episodes.
      let victim: { index: number; runId: number; attempts: number } | undefined;
      const searchUntil = Date.now() + 300_000;
      while (!victim) {
        expect(Date.now(), 'no worker found training a run').toBeLessThan(searchUntil);
        const sweep = await cluster.call('sweeps.get', { id: sweep_id });
        const order = [...workers.keys()].sort(() => Math.random() - 0.5);
        for (const index of order) {
          const worker = workers[index]!;
          const run = sweep.runs.find((r) => r.status === 'running' && r.worker_host === `${hostname()}/${worker.pid}` && r.episodes_done > 0 && r.episodes_done < EPISODES - 100);
          if (run && descendants(worker.pid!).length > 0) victim = { index, runId: run.experiment_id, attempts: run.attempts };
        }
        if (!victim) await sleep(200);
      }
      await sleep(Math.random() * 1500);
      const worker = workers[victim.index]!;
      const tree = descendants(worker.pid!);
      worker.kill('SIGKILL');
      await exited(worker);
      const killedAt = Date.now();
      const replacement = cluster.startWorker();
      workers[victim.index] = replacement;
      // At most one replacement is still starting at a kill: a spare worker is always ready.
      const ready = waitForLine(replacement, 'stderr', /is taking runs/, 300_000);
      for (;;) {
        const sweep = await cluster.call('sweeps.get', { id: sweep_id });
        const run = sweep.runs.find((r) => r.experiment_id === victim.runId)!;
        if (run.attempts > victim.attempts || run.status === 'done') break;
        if (Date.now() - killedAt > 30_000) {
          const queue = new Queue(QUEUE_NAME, { connection: parseRedisUrl(cluster.redis.url), prefix: QUEUE_PREFIX });
          const counts = await queue.getJobCounts();
          const states = await Promise.all(sweep.runs.map(async (r) => `${r.experiment_id}:${r.status}:${r.attempts}:${r.worker_host}`));
          const jobs = await queue.getJobs(['active', 'waiting', 'failed', 'completed', 'delayed']);
          const jobStates = await Promise.all(jobs.map(async (j) => `${j.data.run_id}:${await j.getState()}:${j.failedReason ?? ''}:${j.stalledCounter}`));
          await queue.close();
          throw new Error(`run ${victim.runId} not taken up again; killed ${worker.pid}; counts ${JSON.stringify(counts)}; runs ${states.join(' ')}; jobs ${jobStates.join(' ')}; workers ${workers.map((w) => w.pid).join(',')}\n${workers.map((w) => `--- ${w.pid}\n${cluster.workerLog(w.pid!).slice(-1500)}`).join('\n')}`);
        }
        await sleep(100);
      }
      latencies.push(Date.now() - killedAt);
      await starting;
      starting = ready;
      console.log(`kill ${kill + 1}: run ${victim.runId} taken up again after ${latencies.at(-1)} ms`);
      // A trainer whose worker died finishes its episode first; on a loaded machine that takes a while.
      const deadline = Date.now() + 60_000;
      while (tree.some(isAlive) && Date.now() < deadline) await sleep(200);
      orphans.push(...tree.filter(isAlive));
    }
    expect(orphans).toEqual([]);
    expect(latencies.every((ms) => ms < 30_000)).toBe(true);

    const sweep = await cluster.waitForSweep(sweep_id, 600_000);
    expect(sweep.runs.filter((r) => r.status !== 'done').map((r) => `${r.experiment_id}: ${r.status} ${r.error}`)).toEqual([]);
    const db = cluster.readDb();
    try {
      const attempts = db.prepare('SELECT experiment_id, attempt, worker_host, resumed_from, outcome FROM run_attempts ORDER BY experiment_id, attempt').all() as {
        experiment_id: number;
        attempt: number;
        worker_host: string;
        resumed_from: number | null;
        outcome: string | null;
      }[];
      const done = attempts.filter((a) => a.outcome === 'done');
      expect(done).toHaveLength(RUNS);
      expect(new Set(done.map((a) => a.experiment_id)).size).toBe(RUNS);
      // Later attempts started from a checkpoint whenever an earlier one had stored any.
      const checkpointed = db.prepare("SELECT experiment_id, attempt FROM run_batches WHERE kind = 'checkpoint'").all() as { experiment_id: number; attempt: number }[];
      for (const a of attempts.filter((x) => x.attempt > 1)) {
        const earlier = checkpointed.some((c) => c.experiment_id === a.experiment_id && c.attempt < a.attempt);
        if (earlier) expect(a.resumed_from, `run ${a.experiment_id} attempt ${a.attempt}`).toBeGreaterThan(0);
      }
      const returns = db.prepare("SELECT experiment_id, count(*) AS n, count(DISTINCT episode) AS episodes FROM metrics WHERE name = 'charts/episodic_return' GROUP BY experiment_id").all() as { n: number; episodes: number }[];
      expect(returns.filter((r) => r.n !== EPISODES || r.episodes !== EPISODES)).toEqual([]);
    } finally {
      db.close();
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(`requeue after kill -9 (lock ${TEST_SETTINGS.lockMs} ms, stall check ${TEST_SETTINGS.stallMs} ms): median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms`);
  }, 1_500_000);
});
