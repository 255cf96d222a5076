import type { ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt } from '../../electron/server/renderer-build.ts';
import { QUEUE_NAME, QUEUE_PREFIX } from '../../electron/lab/sweeps/bullmq-run-queue.ts';
import { parseRedisUrl } from '../../electron/lab/sweeps/redis-url.ts';
import { descendants, exited, isAlive, startCluster, TEST_SETTINGS, tinySweep, type Cluster } from '../../electron/lab/bench/sweep-cluster.ts';

const KILLS = 10;
const RUNS = 3;
// Two workers more than runs (and a replacement started at each kill): a requeued run finds a free
// worker at once, so the latency measured is the queue's (lock expiry and stall check).
const WORKERS = RUNS + 2;
// Two environments in lockstep and a checkpoint every 4 episodes: a run lasts long enough to be
// killed several times, and each attempt hands the lab a checkpoint within a second of training.
const EPISODES = 1200;
const TRAINING = { num_envs: 2, save_frequency: 4 };
/** A run this close to its end is killed no more: it could finish before the kill lands. */
const END_MARGIN = 150;
/** The kill lands at a random moment up to this long after the attempt's first stored checkpoint. */
const MAX_DELAY_MS = 2000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Kill {
  runId: number;
  /** The attempt killed; the next one must resume from the lab's checkpoint. */
  attempt: number;
  host: string;
  delayMs: number;
  killedAt: number;
  /** The lab's newest checkpoint of the run once the killed worker was gone. */
  checkpoint: number;
}

interface AttemptRow {
  experiment_id: number;
  attempt: number;
  worker_host: string;
  resumed_from: number | null;
  started_at: string;
  outcome: string | null;
}

describe('kill -9 of workers mid-run', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    ensureRendererBuilt();
    cluster = await startCluster('kill');
  }, 180_000);

  afterAll(() => cluster?.close(), 60_000);

  /** Reads the lab's database; each call opens it anew, so it sees what the lab committed so far. */
  const query = <T>(sql: string, ...params: unknown[]): T | undefined => {
    const db = cluster.readDb();
    try {
      return db.prepare(sql).get(...params) as T | undefined;
    } finally {
      db.close();
    }
  };
  const attemptStoredCheckpoint = (runId: number, attempt: number) =>
    query("SELECT 1 FROM run_batches WHERE experiment_id = ? AND attempt = ? AND kind = 'checkpoint' LIMIT 1", runId, attempt) !== undefined;
  const labCheckpoint = (runId: number) => query<{ episode: number | null }>("SELECT max(episode) AS episode FROM checkpoints WHERE experiment_id = ? AND kind = 'periodic'", runId)?.episode ?? 0;
  const liveWorker = (host: string): ChildProcess | undefined =>
    cluster.workers.find((w) => `${hostname()}/${w.pid}` === host && w.exitCode === null && w.signalCode === null);

  async function queueReport(): Promise<string> {
    const queue = new Queue(QUEUE_NAME, { connection: parseRedisUrl(cluster.redis.url), prefix: QUEUE_PREFIX });
    try {
      const jobs = await queue.getJobs(['active', 'waiting', 'failed', 'completed', 'delayed']);
      const states = await Promise.all(jobs.map(async (j) => `${j.data.run_id}:${await j.getState()}:${j.failedReason ?? ''}:${j.stalledCounter}`));
      return `counts ${JSON.stringify(await queue.getJobCounts())}; jobs ${states.join(' ')}`;
    } finally {
      await queue.close();
    }
  }

  it(`requeues the run within 30 s, resumes it from its checkpoint on another worker, and leaves no orphan (${KILLS} kills, each after a stored checkpoint)`, async () => {
    await Promise.all(Array.from({ length: WORKERS }, () => cluster.readyWorker()));
    const { sweep_id, runs } = await cluster.createSweep(tinySweep('kill', RUNS, EPISODES, '', TRAINING));
    const kills: Kill[] = [];
    const orphanChecks: Promise<number[]>[] = [];
    let claimed = 0;

    /**
     * Kills the worker training `runId`, again and again, each time at a random moment after its
     * current attempt stored a checkpoint with the lab, until the test has its kills or the run
     * nears its end. The runs' loops go side by side, so kills of different runs overlap.
     */
    async function killLoop(runId: number): Promise<void> {
      const giveUpAt = Date.now() + 240_000;
      while (claimed < KILLS) {
        expect(Date.now(), `run ${runId}: no attempt to kill`).toBeLessThan(giveUpAt);
        const run = (await cluster.call('sweeps.get', { id: sweep_id })).runs.find((r) => r.experiment_id === runId)!;
        if (['done', 'failed', 'stopped'].includes(run.status)) return;
        if (run.episodes_done >= EPISODES - END_MARGIN) return;
        const worker = run.status === 'running' && run.worker_host ? liveWorker(run.worker_host) : undefined;
        if (!worker || !attemptStoredCheckpoint(runId, run.attempts)) {
          await sleep(250);
          continue;
        }
        claimed++;
        const delayMs = Math.round(Math.random() * MAX_DELAY_MS);
        await sleep(delayMs);
        const now = (await cluster.call('sweeps.get', { id: sweep_id })).runs.find((r) => r.experiment_id === runId)!;
        if (now.attempts !== run.attempts || now.status !== 'running' || now.episodes_done >= EPISODES - END_MARGIN / 2) {
          claimed--; // the queue moved the run meanwhile, or it neared its end: choose again
          continue;
        }
        const tree = descendants(worker.pid!);
        worker.kill('SIGKILL');
        await exited(worker);
        const kill: Kill = { runId, attempt: run.attempts, host: run.worker_host!, delayMs, killedAt: Date.now(), checkpoint: labCheckpoint(runId) };
        kills.push(kill);
        cluster.startWorker();
        // A trainer whose worker died finishes its episode first; on a loaded machine that takes a while.
        orphanChecks.push(
          (async () => {
            const deadline = Date.now() + 60_000;
            while (tree.some(isAlive) && Date.now() < deadline) await sleep(200);
            return tree.filter(isAlive);
          })(),
        );
        // Taken up again: a next attempt started at the lab (its start time is the lab's own).
        for (;;) {
          const next = query<AttemptRow>('SELECT * FROM run_attempts WHERE experiment_id = ? AND attempt = ?', runId, kill.attempt + 1);
          if (next) {
            console.log(`kill ${kills.indexOf(kill) + 1}: run ${runId} attempt ${kill.attempt} killed ${delayMs} ms after its first checkpoint (lab's checkpoint: episode ${kill.checkpoint}); attempt ${next.attempt} started ${Date.parse(next.started_at) - kill.killedAt} ms later, resumed from ${next.resumed_from}`);
            break;
          }
          if (Date.now() - kill.killedAt > 90_000) throw new Error(`run ${runId} not taken up again 90 s after kill -9 of ${kill.host}; ${await queueReport()}\n${cluster.workerLog(worker.pid!).slice(-1500)}`);
          await sleep(250);
        }
      }
    }

    const started = Date.now();
    await Promise.all(runs.map(killLoop));
    console.log(`${kills.length} kills in ${Date.now() - started} ms`);
    expect(kills.length, 'kills before every run neared its end').toBeGreaterThanOrEqual(KILLS);
    const sweep = await cluster.waitForSweep(sweep_id, 600_000);
    console.log(`every run done ${Date.now() - started} ms after the sweep started`);
    expect(sweep.runs.filter((r) => r.status !== 'done').map((r) => `${r.experiment_id}: ${r.status} ${r.error}`)).toEqual([]);
    expect((await Promise.all(orphanChecks)).flat()).toEqual([]);

    const db = cluster.readDb();
    try {
      const attempts = db.prepare('SELECT * FROM run_attempts ORDER BY experiment_id, attempt').all() as AttemptRow[];
      const attemptOf = (runId: number, attempt: number) => attempts.find((a) => a.experiment_id === runId && a.attempt === attempt)!;
      // Every kill: the run is taken up again within 30 s, on another worker, from the checkpoint
      // stored before the kill (or a later one that was in flight), which is past the start.
      const seen = kills.map((k) => {
        const next = attemptOf(k.runId, k.attempt + 1);
        return {
          run: k.runId,
          attempt: k.attempt,
          requeuedWithin30s: Date.parse(next.started_at) - k.killedAt < 30_000,
          otherWorker: next.worker_host !== k.host,
          checkpointBeforeKill: k.checkpoint > 0,
          resumedFromIt: (next.resumed_from ?? 0) >= k.checkpoint,
          // The trainer of the next attempt really started there, as its worker logged.
          trainerStartedThere: cluster.workerLog(Number(next.worker_host.split('/').at(-1))).includes(`run ${k.runId} attempt ${next.attempt}: the trainer started from episode ${next.resumed_from} `),
        };
      });
      expect(seen).toEqual(kills.map((k) => ({ run: k.runId, attempt: k.attempt, requeuedWithin30s: true, otherWorker: true, checkpointBeforeKill: true, resumedFromIt: true, trainerStartedThere: true })));
      // Each run completed exactly once, by its last attempt.
      const done = attempts.filter((a) => a.outcome === 'done');
      expect(done.map((a) => a.experiment_id).sort()).toEqual([...runs].sort());
      for (const a of done) expect(a.attempt).toBe(Math.max(...attempts.filter((b) => b.experiment_id === a.experiment_id).map((b) => b.attempt)));
      // Every episode's return point once per run: nothing lost to a kill, nothing stored twice.
      const returns = db.prepare("SELECT experiment_id, count(*) AS n, count(DISTINCT episode) AS episodes FROM metrics WHERE name = 'charts/episodic_return' GROUP BY experiment_id").all() as { n: number; episodes: number }[];
      expect(returns).toHaveLength(RUNS);
      expect(returns.filter((r) => r.n !== EPISODES || r.episodes !== EPISODES)).toEqual([]);
      const duplicates = db.prepare('SELECT count(*) AS n FROM (SELECT experiment_id, name, episode FROM metrics GROUP BY experiment_id, name, episode HAVING count(*) > 1)').get() as { n: number };
      expect(duplicates.n).toBe(0);
      const latencies = kills.map((k) => Date.parse(attemptOf(k.runId, k.attempt + 1).started_at) - k.killedAt).sort((a, b) => a - b);
      console.log(`requeue after kill -9 (lock ${TEST_SETTINGS.lockMs} ms, stall check ${TEST_SETTINGS.stallMs} ms), ${kills.length} kills: median ${latencies[Math.floor(latencies.length / 2)]} ms, max ${latencies.at(-1)} ms`);
    } finally {
      db.close();
    }
  }, 900_000);
});
