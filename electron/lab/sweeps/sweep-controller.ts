import { createHash } from 'node:crypto';
import { ApiError } from '#shared/api/api-error.ts';
import type { SweepSummary } from '#shared/api/sweeps-api.ts';
import { expandSweep } from '#shared/sweeps/expand-sweep.ts';
import { sweepSpecSchema, type SweepSpecInput } from '#shared/sweeps/sweep-spec.ts';
import type { LabDatabase } from '#lab/store/database.ts';
import { createExperiment, setExperimentStatus } from '#lab/store/experiments.ts';
import { listProblemSets } from '#lab/store/problem-sets.ts';
import type { RunJob, RunQueue } from './run-queue.ts';
import { getSweepSummary, insertSweep, insertSweepRun, pendingRuns } from './sweep-store.ts';

/** A hash of (sweep, config, seed): adding the same run twice leaves one job. */
export function runJobId(sweepId: number, config: unknown, seed: number): string {
  return `run-${createHash('sha256').update(JSON.stringify([sweepId, config, seed])).digest('hex').slice(0, 32)}`;
}

/** How often the reconciler compares SQLite with the queue. */
export const RECONCILE_INTERVAL_MS = 60_000;

/**
 * The sweep controller of a lab server: it expands sweeps into runs, queues them, and keeps the
 * queue honest. It never trains and never lets a worker near SQLite; workers write through the
 * lab's API, so the lab stays the only writer of its database.
 */
export class SweepController {
  private timer: NodeJS.Timeout | undefined;
  private reconciling: Promise<number> | undefined;

  constructor(
    private readonly db: LabDatabase,
    private readonly queue: RunQueue,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Reconciles now, on every reconnect of the queue, and then every `intervalMs`. */
  start(intervalMs = RECONCILE_INTERVAL_MS): void {
    this.queue.onReconnect(() => void this.reconcileSafely('the queue reconnected'));
    void this.reconcileSafely('start-up');
    this.timer = setInterval(() => void this.reconcileSafely('timer'), intervalMs);
    this.timer.unref();
  }

  async createSweep(input: SweepSpecInput & { base: Record<string, unknown> }): Promise<{ sweep_id: number; runs: number[] }> {
    const parsed = sweepSpecSchema.safeParse(input);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
      throw new ApiError('invalid_input', `sweep: ${issues[0]?.path}: ${issues[0]?.message}`, issues);
    }
    const spec = parsed.data;
    const set = listProblemSets(this.db).find((s) => s.name === spec.problems);
    if (!set) throw new ApiError('not_found', `problems: no problem set named "${spec.problems}"`);
    const expansion = expandSweep(spec, input.base);
    const errors = expansion.findings.filter((f) => f.severity === 'error');
    if (errors.length) throw new ApiError('invalid_input', `sweep: ${errors[0]!.path}: ${errors[0]!.message}`, errors.map((f) => ({ path: f.path, message: f.message })));
    if (expansion.runs.length === 0) throw new ApiError('invalid_input', 'sweep: it expands into no runs');

    const jobs: RunJob[] = [];
    const sweepId = this.db.transaction(() => {
      const id = insertSweep(this.db, { name: spec.name, method: spec.method, spec });
      expansion.runs.forEach((run, index) => {
        const label = Object.entries(run.params).map(([k, v]) => `${k.split('.').at(-1)}=${v}`).join(' ');
        const agent = String((run.config.agent as { type?: string } | undefined)?.type ?? 'dqn');
        const episodes = Number((run.config.training as { num_episodes?: number }).num_episodes ?? 0);
        const experimentId = createExperiment(this.db, {
          name: `${spec.name} #${index + 1}${label ? ` ${label}` : ''}`,
          agent,
          problemSetId: set.id,
          problemSetName: set.name,
          config: run.config,
          seed: run.seed,
          episodesTotal: episodes,
          tags: [`sweep:${spec.name}`],
        });
        const jobId = runJobId(id, run.config, run.seed);
        insertSweepRun(this.db, { experimentId, sweepId: id, jobId, params: run.params });
        jobs.push({ jobId, runId: experimentId, sweepId: id, config: run.config });
      });
      return id;
    })();
    // Queued after the commit: a run the queue lost on the way is found and re-added by the reconciler.
    await this.queue.add(jobs).catch((error: unknown) => this.log(`sweep ${sweepId}: queueing failed (${(error as Error).message}); the reconciler retries`));
    return { sweep_id: sweepId, runs: jobs.map((j) => j.runId) };
  }

  async stopSweep(id: number): Promise<SweepSummary> {
    const runs = this.db
      .prepare("SELECT r.experiment_id, r.job_id FROM sweep_runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.sweep_id = ? AND e.status NOT IN ('done', 'failed', 'stopped')")
      .all(id) as { experiment_id: number; job_id: string }[];
    if (!getSweepSummary(this.db, id)) throw new ApiError('not_found', `no sweep ${id}`);
    this.db.transaction(() => {
      this.db.prepare('UPDATE sweeps SET stopped = 1 WHERE id = ?').run(id);
      for (const run of runs) setExperimentStatus(this.db, run.experiment_id, 'stopped', { error: 'the sweep was stopped' });
    })();
    await this.queue.remove(runs.map((r) => r.job_id)).catch(() => {});
    return getSweepSummary(this.db, id)!;
  }

  /** Re-adds every run SQLite has as queued or running and the queue lost; returns how many. */
  async reconcile(): Promise<number> {
    this.reconciling ??= (async () => {
      try {
        const jobs = pendingRuns(this.db).map((r): RunJob => ({ jobId: r.job_id, runId: r.experiment_id, sweepId: r.sweep_id, config: JSON.parse(r.config) as Record<string, unknown> }));
        const lost = await this.queue.lost(jobs);
        await this.queue.add(lost);
        return lost.length;
      } finally {
        this.reconciling = undefined;
      }
    })();
    return this.reconciling;
  }

  private async reconcileSafely(why: string): Promise<void> {
    try {
      const readded = await this.reconcile();
      if (readded) this.log(`reconciler (${why}): re-queued ${readded} run(s) the queue had lost`);
    } catch (error) {
      this.log(`reconciler (${why}): ${(error as Error).message}`);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.reconciling?.catch(() => {});
    await this.queue.close();
  }
}
