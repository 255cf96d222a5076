import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from '../e2e/support/browser.ts';
import { ensureRendererBuilt } from '../../electron/server/renderer-build.ts';
import { exited, QUEUE_USER, startCluster, tinySweep, waitForLine, type Cluster } from '../../electron/lab/bench/sweep-cluster.ts';
import { QUEUE_PREFIX } from '../../electron/lab/sweeps/bullmq-run-queue.ts';
import { QUEUE_ACL_RULES } from '../../electron/lab/sweeps/queue-acl.ts';
import { parseRedisUrl } from '../../electron/lab/sweeps/redis-url.ts';
import { PROJECT_ROOT } from '../../electron/lab/paths.ts';

const RUNS = Number(process.env.SWEEP_TEST_RUNS ?? 50);
const WORKERS = 4;
const EPISODES = 30;

describe('a sweep on four workers', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    ensureRendererBuilt();
    cluster = await startCluster('once');
  }, 180_000);

  afterAll(() => cluster?.close(), 60_000);

  it('refuses a worker without the Redis password, or with a wrong one', async () => {
    for (const [queue, reason] of [
      [cluster.redis.urlAs('', ''), /NOAUTH/],
      [cluster.redis.urlAs(QUEUE_USER, 'wrong'), /WRONGPASS/],
    ] as const) {
      const worker = cluster.startWorker({ queue });
      const [code, line] = await Promise.all([exited(worker), waitForLine(worker, 'stderr', /refused this worker/, 60_000)]);
      expect(code).toBe(1);
      expect(line).toMatch(reason);
    }
  }, 120_000);

  it("gives the queue's ACL user the queue's keys and nothing else", async () => {
    const client = new Redis({ ...parseRedisUrl(cluster.redis.url), lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await client.connect();
      expect(await client.call('ACL', 'WHOAMI')).toBe(QUEUE_USER);
      expect(await client.set(`${QUEUE_PREFIX}:acl-probe`, '1')).toBe('OK');
      await expect(client.set('outside-the-prefix', '1')).rejects.toThrow(/^NOPERM .*keys/);
      await expect(client.get('outside-the-prefix')).rejects.toThrow(/^NOPERM .*keys/);
      await expect(client.eval("return redis.call('GET', 'outside-the-prefix')", 0)).rejects.toThrow(/can't access at least one of the keys/);
      for (const command of [['FLUSHALL'], ['CONFIG', 'GET', 'requirepass'], ['KEYS', '*'], ['ACL', 'LIST']]) {
        await expect(client.call(command[0]!, ...command.slice(1)), command.join(' ')).rejects.toThrow(/^NOPERM .*command/);
      }
    } finally {
      await client.del(`${QUEUE_PREFIX}:acl-probe`).catch(() => {});
      client.disconnect();
    }
  }, 60_000);

  it("documents the queue's ACL user as the tests run it", () => {
    expect(readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8')).toContain(`--user lab on ">$PW" ${QUEUE_ACL_RULES.map((r) => (r.includes('{') || r.includes('*') ? `'${r}'` : r)).join(' ')}`);
  });

  it('refuses a worker with a wrong token', async () => {
    const worker = cluster.startWorker({ token: 'lw_not-a-token' });
    const [code, line] = await Promise.all([exited(worker), waitForLine(worker, 'stderr', /refused/, 60_000)]);
    expect(code).toBe(1);
    expect(line).toBe('lab worker: the lab refused this worker: the worker token is unknown or revoked');
  }, 120_000);

  it(`completes each of ${RUNS} runs exactly once: no duplicate metric rows, no run with two completed attempts`, async () => {
    await Promise.all(Array.from({ length: WORKERS }, () => cluster.readyWorker()));
    const started = Date.now();
    const { sweep_id, runs } = await cluster.createSweep(tinySweep('once', RUNS, EPISODES));
    expect(runs).toHaveLength(RUNS);
    const sweep = await cluster.waitForSweep(sweep_id, 1_200_000);
    const minutes = (Date.now() - started) / 60_000;
    expect(sweep.runs.filter((r) => r.status !== 'done').map((r) => `${r.experiment_id}: ${r.status} ${r.error}`)).toEqual([]);

    const db = cluster.readDb();
    try {
      const completed = db.prepare("SELECT experiment_id, count(*) AS n FROM run_attempts WHERE outcome = 'done' GROUP BY experiment_id").all() as { n: number }[];
      expect(completed).toHaveLength(RUNS);
      expect(completed.filter((c) => c.n !== 1)).toEqual([]);
      // Every episode of every run has its return point once; the primary key forbids more.
      const returns = db.prepare("SELECT experiment_id, count(*) AS n, count(DISTINCT episode) AS episodes FROM metrics WHERE name = 'charts/episodic_return' GROUP BY experiment_id").all() as { n: number; episodes: number }[];
      expect(returns).toHaveLength(RUNS);
      expect(returns.filter((r) => r.n !== EPISODES || r.episodes !== EPISODES)).toEqual([]);
      // What the workers sent was stored once: each run's points after the checkpoint its done attempt
      // resumed from are exactly that attempt's batches; a run taken over from a stalled worker keeps
      // the points up to that checkpoint from the attempts before, no more than they sent.
      const perRun = db
        .prepare(
          `SELECT a.experiment_id AS run,
             (SELECT coalesce(sum(points), 0) FROM run_batches b WHERE b.experiment_id = a.experiment_id AND b.attempt = a.attempt AND b.kind = 'metrics') AS sent,
             (SELECT count(*) FROM metrics m WHERE m.experiment_id = a.experiment_id AND (a.resumed_from IS NULL OR m.episode > a.resumed_from)) AS stored,
             (SELECT coalesce(sum(points), 0) FROM run_batches b WHERE b.experiment_id = a.experiment_id AND b.attempt < a.attempt AND b.kind = 'metrics') AS sent_before,
             (SELECT count(*) FROM metrics m WHERE m.experiment_id = a.experiment_id AND m.episode <= a.resumed_from) AS kept
           FROM run_attempts a WHERE a.outcome = 'done'`,
        )
        .all() as { run: number; sent: number; stored: number; sent_before: number; kept: number }[];
      expect(perRun).toHaveLength(RUNS);
      expect(perRun.filter((r) => r.sent !== r.stored || r.kept > r.sent_before)).toEqual([]);
    } finally {
      db.close();
    }
    // The lab and the workers ran as the ACL user: every key they made is under the queue's prefix.
    const admin = new Redis({ ...parseRedisUrl(cluster.redis.urlAs('', cluster.redis.adminPassword)), lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await admin.connect();
      const keys = await admin.keys('*');
      expect(keys.length).toBeGreaterThan(RUNS);
      expect(keys.filter((k) => !k.startsWith(`${QUEUE_PREFIX}:`))).toEqual([]);
    } finally {
      admin.disconnect();
    }
    // ...and BullMQ never needed more than the user may do: Redis refused only the probes above
    // (the wrong password, keys outside the prefix, dangerous commands).
    const probes = /^lab: (auth auth|key outside-the-prefix|command (flushall|config\|get|keys|acl\|list)) \((toplevel|lua)\)$/;
    expect((await cluster.redis.aclDenials()).filter((denial) => !probes.test(denial))).toEqual([]);
    // The sweep page: runs by status, the scatter of a hyperparameter against a final metric, and
    // "compare all" into the compare view.
    const browser = await launchBrowser();
    try {
      const { page } = browser;
      await page.goto(`${cluster.lab.url}/?token=${cluster.lab.token}#/sweeps`);
      await page.getByTestId('sweep-item').first().locator('a').click();
      await page.waitForURL(/#\/sweeps\/\d+$/);
      await expect.poll(() => page.getByTestId('count-done').textContent(), { timeout: 30_000 }).toBe(`${RUNS} done`);
      await expect.poll(() => page.getByTestId('sweep-run').count()).toBe(RUNS);
      await page.getByTestId('sweep-metric').selectOption('charts/episodic_return');
      await expect.poll(() => page.getByTestId('sweep-scatter').getAttribute('data-points')).toBe(String(RUNS));
      await screenshot(page, '20-sweep-page');
      await page.getByTestId('sweep-compare').click();
      await page.waitForURL(new RegExp(`#/compare\\?ids=${runs.join(',')}$`));
    } finally {
      await browser.close();
    }
    console.log(`sweep of ${RUNS} runs on ${WORKERS} workers: ${(RUNS / minutes).toFixed(1)} runs/minute`);
  }, 1_500_000);
});
