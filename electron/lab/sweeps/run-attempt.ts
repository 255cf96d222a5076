import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '#shared/api/api-error.ts';
import type { AttemptStart } from '#shared/api/sweeps-api.ts';
import { parseConfigObject } from '#shared/config/parse-config-yaml.ts';
import type { TrainerProgress } from '#shared/training/trainer-events.ts';
import { openDatabase } from '#lab/store/database.ts';
import { createExperiment } from '#lab/store/experiments.ts';
import { saveProblemSet } from '#lab/store/problem-sets.ts';
import { isCompleteCheckpoint } from '#lab/training/checkpoint-files.ts';
import { Checkpointer, checkpointRoot } from '#lab/training/checkpointer.ts';
import { forkTrainer, type TrainerExit } from '#lab/training/trainer-client.ts';
import { AttemptOutbox } from './attempt-outbox.ts';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint-transfer.ts';
import { callLab, LabUnreachableError, type LabEndpoint } from './lab-http-client.ts';
import type { RunJob } from './run-queue.ts';

export interface AttemptOptions {
  lab: LabEndpoint;
  /** The worker token. */
  token: string;
  host: string;
  /** A folder of this worker's own; each attempt works in a subfolder it removes at the end. */
  workDir: string;
  spoolMaxBytes: number;
  shutdown: AbortSignal;
  log(line: string): void;
}

/** How an attempt ended, seen from the worker. */
export type AttemptOutcome = 'done' | 'failed' | 'already-finished' | 'superseded' | 'shutdown';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const PERIODIC = /^episode-(\d{9})$/;
/** The trainer's own database is a scratch copy on the worker; its one experiment has this id. */
const LOCAL_RUN_ID = 1;

async function startWithRetry(options: AttemptOptions, runId: number): Promise<AttemptStart | undefined> {
  for (let wait = 200; !options.shutdown.aborted; wait = Math.min(wait * 2, 2000)) {
    try {
      return await callLab(options.lab, 'worker.attemptStart', { token: options.token, run_id: runId, host: options.host });
    } catch (error) {
      if (!(error instanceof LabUnreachableError) && !(error instanceof ApiError && error.code === 'internal')) throw error;
      await sleep(wait);
    }
  }
  return undefined;
}

/** A scratch store holding what the trainer reads: the run's problems, its config, and its checkpoint. */
function prepareLocalRun(dir: string, start: Extract<AttemptStart, { state: 'run' }>): string {
  const dbPath = join(dir, 'lab.db');
  const db = openDatabase(dbPath);
  try {
    const setId = saveProblemSet(db, { name: start.problem_set_name, problems: start.problems });
    const config = parseConfigObject(start.config).config;
    if (!config) throw new Error('the lab sent a config this worker cannot read (is it older than the lab?)');
    const id = createExperiment(db, {
      name: 'sweep run',
      agent: config.agent.type,
      problemSetId: setId,
      problemSetName: start.problem_set_name,
      config: start.config,
      seed: config.training.seed ?? null,
      episodesTotal: config.training.num_episodes,
    });
    if (id !== LOCAL_RUN_ID) throw new Error(`the scratch store at ${dbPath} was not empty`);
    if (start.checkpoint) new Checkpointer(db, id, dbPath, config.training.keep_checkpoints).save(start.checkpoint.episode, decodeCheckpoint(start.checkpoint));
  } finally {
    db.close();
  }
  return dbPath;
}

/**
 * One pickup of a run: a numbered attempt at the lab, the trainer in a child process on a scratch
 * store resumed from the lab's checkpoint, and everything it reports sent on in order. Checkpoints
 * go out only after the metrics of every episode they cover, so a later attempt that resumes from
 * one can never miss a point.
 */
export async function runAttempt(job: RunJob, options: AttemptOptions): Promise<AttemptOutcome> {
  const start = await startWithRetry(options, job.runId);
  if (!start) return 'shutdown';
  if (start.state === 'finished') return 'already-finished';
  const dir = join(options.workDir, `run-${job.runId}-attempt-${start.attempt}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tag = `run ${job.runId} attempt ${start.attempt}`;
  let latestProgress: TrainerProgress | undefined;
  let pauseTrainer: (paused: boolean) => void = () => {};
  const outbox = new AttemptOutbox({
    spoolPath: join(dir, 'spool.jsonl'),
    maxBytes: options.spoolMaxBytes,
    send: async (item) => {
      const progress = latestProgress;
      await callLab(options.lab, 'worker.append', {
        token: start.attempt_token,
        run_id: job.runId,
        attempt: start.attempt,
        ...item,
        ...(progress ? { progress } : {}),
      });
    },
    onBackpressure: (paused) => {
      options.log(`${tag}: ${paused ? 'the lab is behind; pausing the trainer' : 'the lab caught up; resuming the trainer'}`);
      pauseTrainer(paused);
    },
  });
  try {
    const dbPath = prepareLocalRun(dir, start);
    const localCheckpoints = checkpointRoot(dbPath, LOCAL_RUN_ID);
    let sentCheckpoint = start.checkpoint?.episode ?? 0;
    let episodesReported = start.checkpoint?.episode ?? 0;
    /** The newest local checkpoint whose episodes' metrics have all been queued, if not sent yet. */
    const queueCheckpoint = () => {
      // Read-only listing: the trainer may be writing a `.partial` folder right now.
      const names = existsSync(localCheckpoints) ? readdirSync(localCheckpoints).sort() : [];
      const ready = names
        .filter((name) => isCompleteCheckpoint(join(localCheckpoints, name)))
        .map((name) => Number(PERIODIC.exec(name)?.[1] ?? -1))
        .filter((episode) => episode > sentCheckpoint && episode <= episodesReported)
        .at(-1);
      if (ready === undefined) return;
      try {
        outbox.push({ kind: 'checkpoint', checkpoint: encodeCheckpoint(join(localCheckpoints, `episode-${String(ready).padStart(9, '0')}`), ready) });
        sentCheckpoint = ready;
      } catch {
        // pruned by the trainer while being read: a newer one follows
      }
    };

    const trainer = forkTrainer({ dbPath, experimentId: LOCAL_RUN_ID, resume: start.checkpoint !== null });
    pauseTrainer = (paused) => trainer.send({ type: paused ? 'pause' : 'resume' });
    let lastError = '';
    trainer.on('event', (event) => {
      if (event.type === 'log' && event.level === 'error') lastError = event.message.slice(0, 4000);
      // Where the trainer really started, beside where the lab said to: an operator (and the kill
      // tests) can tell a resumed attempt from one that trained its episodes again.
      if (event.type === 'started') options.log(`${tag}: the trainer started from episode ${event.resumed_from ?? 0} (the lab's checkpoint: ${start.checkpoint?.episode ?? 'none'})`);
      if (event.type === 'metrics' && event.points.length) {
        outbox.push({ kind: 'metrics', points: event.points });
        episodesReported = Math.max(episodesReported, event.points.at(-1)!.episode);
        queueCheckpoint();
      } else if (event.type === 'progress') latestProgress = event.progress;
    });
    const stopTrainer = () => {
      trainer.send({ type: 'stop' });
      setTimeout(() => trainer.kill('SIGKILL'), 5000).unref();
    };
    outbox.onFailure((error) => {
      options.log(`${tag}: the lab refused its writes (${error.message}); stopping its trainer`);
      stopTrainer();
    });
    const onShutdown = () => stopTrainer();
    options.shutdown.addEventListener('abort', onShutdown, { once: true });
    let exit: TrainerExit;
    try {
      exit = await trainer.done;
    } finally {
      options.shutdown.removeEventListener('abort', onShutdown);
    }
    if (outbox.failure) return 'superseded';
    queueCheckpoint();
    if (options.shutdown.aborted) {
      // Hand back what was done: the next attempt resumes from here. Give the lab a moment only.
      await Promise.race([outbox.drained(), sleep(5000)]);
      return 'shutdown';
    }
    const failed = exit.status !== 'done';
    const error = failed ? (exit.error ?? (lastError || `the trainer ended ${exit.status}`)) : null;
    outbox.push({ kind: 'finish', status: failed ? 'failed' : 'done', error });
    await outbox.drained();
    if (outbox.failure) return 'superseded';
    return failed ? 'failed' : 'done';
  } finally {
    outbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
