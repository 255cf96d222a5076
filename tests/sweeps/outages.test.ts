import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt } from '../../electron/server/renderer-build.ts';
import { startCluster, tinySweep, type Cluster } from '../../electron/lab/bench/sweep-cluster.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every run done once, and every episode of every run with its points. */
function expectEachRunOnce(cluster: Cluster, runs: number, episodes: number): void {
  const db = cluster.readDb();
  try {
    const done = db.prepare("SELECT experiment_id, count(*) AS n FROM run_attempts WHERE outcome = 'done' GROUP BY experiment_id").all() as { n: number }[];
    expect(done).toHaveLength(runs);
    expect(done.filter((d) => d.n !== 1)).toEqual([]);
    const returns = db.prepare("SELECT experiment_id, count(*) AS n, count(DISTINCT episode) AS episodes FROM metrics WHERE name = 'charts/episodic_return' GROUP BY experiment_id").all() as { n: number; episodes: number }[];
    expect(returns).toHaveLength(runs);
    expect(returns.filter((r) => r.n !== episodes || r.episodes !== episodes)).toEqual([]);
  } finally {
    db.close();
  }
}

describe('outages during a sweep', () => {
  let cluster: Cluster | undefined;

  beforeAll(() => ensureRendererBuilt(), 180_000);
  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  }, 60_000);

  it('kill -9 of redis-server, restarted on the same data folder: after reconciliation every run completes exactly once', async () => {
    const c = (cluster = await startCluster('redis'));
    await Promise.all([c.readyWorker(), c.readyWorker()]);
    const RUNS = 6;
    const EPISODES = 60;
    const { sweep_id } = await c.createSweep(tinySweep('redis', RUNS, EPISODES));
    for (let tries = 0; ; tries++) {
      const sweep = await c.call('sweeps.get', { id: sweep_id });
      if ((sweep.counts.done ?? 0) >= 1 && (sweep.counts.running ?? 0) >= 1) break;
      expect(tries).toBeLessThan(600);
      await sleep(200);
    }
    await c.redis.kill9();
    await sleep(2000);
    await c.redis.start();
    const sweep = await c.waitForSweep(sweep_id, 600_000);
    expect(sweep.runs.filter((r) => r.status !== 'done').map((r) => `${r.experiment_id}: ${r.status} ${r.error}`)).toEqual([]);
    expectEachRunOnce(c, RUNS, EPISODES);
    expect(await c.redis.aclDenials()).toEqual([]);
  }, 1_200_000);

  it('the lab server paused (SIGSTOP) for 30 s while workers stream: no metric point is lost', async () => {
    const c = (cluster = await startCluster('pause'));
    await Promise.all([c.readyWorker(), c.readyWorker()]);
    const RUNS = 2;
    const EPISODES = 400;
    const { sweep_id } = await c.createSweep(tinySweep('pause', RUNS, EPISODES));
    for (let tries = 0; ; tries++) {
      const sweep = await c.call('sweeps.get', { id: sweep_id });
      if (sweep.runs.every((r) => r.status === 'running' && r.episodes_done > 0)) break;
      expect(tries).toBeLessThan(600);
      await sleep(200);
    }
    const pausedAt = Date.now();
    c.lab.child.kill('SIGSTOP');
    await sleep(30_000);
    c.lab.child.kill('SIGCONT');
    const sweep = await c.waitForSweep(sweep_id, 600_000);
    expect(sweep.runs.filter((r) => r.status !== 'done').map((r) => `${r.experiment_id}: ${r.status} ${r.error}`)).toEqual([]);
    expectEachRunOnce(c, RUNS, EPISODES);
    expect(await c.redis.aclDenials()).toEqual([]);
    const db = c.readDb();
    try {
      // Batches the trainers reported during the pause waited in the workers' spools and arrived after it.
      const waited = db.prepare('SELECT count(*) AS n FROM run_batches WHERE emitted_at BETWEEN ? AND ? AND stored_at > ?').get(pausedAt, pausedAt + 25_000, pausedAt + 29_000) as { n: number };
      expect(waited.n).toBeGreaterThan(0);
      // And nothing was stored twice: each run's points equal the points of its batches.
      const mismatched = db
        .prepare(
          `SELECT m.experiment_id FROM (SELECT experiment_id, count(*) AS n FROM metrics GROUP BY experiment_id) m
           JOIN (SELECT experiment_id, sum(points) AS n FROM run_batches WHERE kind = 'metrics' GROUP BY experiment_id) b USING (experiment_id) WHERE m.n != b.n`,
        )
        .all();
      expect(mismatched).toEqual([]);
    } finally {
      db.close();
    }
  }, 1_200_000);
});
