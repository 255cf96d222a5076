import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installBundledSets } from '#lab/problems/bundled-sets.ts';
import { runTrainingLoop } from '#lab/training/training-loop.ts';
import type { TrainerChannel } from '#lab/training/trainer-channel.ts';
import { parseConfigObject } from '#shared/config/parse-config-yaml.ts';
import type { TrainerCommand } from '#shared/training/trainer-events.ts';
import { openDatabase, type LabDatabase } from './database.ts';
import { experimentProblems, ProblemsChangedError, problemSnapshot } from './experiment-problems.ts';
import { createExperiment, getExperiment } from './experiments.ts';
import { deleteProblem, duplicateProblemSet } from './problem-edits.ts';
import { deleteProblemSet, findProblemSet, listProblems } from './problem-sets.ts';

const RANDOM_RUN = { agent: { type: 'random' }, training: { num_episodes: 24, save_frequency: 4, eval_frequency: 12, seed: 3 } };

async function labWithOwnSet(): Promise<{ db: LabDatabase; dbPath: string; setId: number }> {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'lab-snapshot-')), 'lab.sqlite');
  const db = openDatabase(dbPath);
  await installBundledSets(db);
  const setId = duplicateProblemSet(db, findProblemSet(db, 'seed-train')!, 'mine');
  return { db, dbPath, setId };
}

function newRun(db: LabDatabase, setId: number): number {
  const config = parseConfigObject(RANDOM_RUN).config!;
  return createExperiment(db, {
    name: 'random', agent: 'random', problemSetId: setId, problemSetName: 'mine',
    config: config as unknown as Record<string, unknown>, seed: 3, episodesTotal: config.training.num_episodes,
  });
}

/** A channel that stops the run at its first progress report (episode 1). */
function stoppingChannel(stop: boolean): TrainerChannel {
  let handler: (c: TrainerCommand) => void = () => {};
  let sent = false;
  return {
    send: (e) => {
      if (stop && !sent && e.type === 'progress') {
        sent = true;
        handler({ type: 'stop' });
      }
    },
    onCommand: (h) => (handler = h),
    onParentGone: () => {},
  };
}

const trainedOn = (db: LabDatabase, id: number) =>
  (db.prepare("SELECT episode, problem_name FROM episodes WHERE experiment_id = ? AND kind = 'train' ORDER BY episode").all(id) as { episode: number; problem_name: string }[]);

describe('the problems of an experiment', () => {
  it('migration 5 makes a table that holds one copy per experiment and goes with it', async () => {
    const { db, setId } = await labWithOwnSet();
    const id = newRun(db, setId);
    const problems = experimentProblems(db, getExperiment(db, id)!);
    expect(problemSnapshot(db, id)).toEqual(problems);
    db.prepare('DELETE FROM experiments WHERE id = ?').run(id);
    expect(db.prepare('SELECT count(*) AS n FROM experiment_problems').get()).toEqual({ n: 0 });
  });

  it('a resumed run trains on the problems it started with, after the set was edited', async () => {
    const { db, dbPath, setId } = await labWithOwnSet();
    const whole = newRun(db, setId);
    await runTrainingLoop({ db, dbPath, experiment: getExperiment(db, whole)!, resume: false, channel: stoppingChannel(false) });
    const stopped = newRun(db, setId);
    expect(await runTrainingLoop({ db, dbPath, experiment: getExperiment(db, stopped)!, resume: false, channel: stoppingChannel(true) })).toBe('stopped');
    expect(deleteProblem(db, setId, 0)).toBe(true);
    expect(await runTrainingLoop({ db, dbPath, experiment: getExperiment(db, stopped)!, resume: true, channel: stoppingChannel(false) })).toBe('done');
    expect(trainedOn(db, stopped)).toEqual(trainedOn(db, whole));
  }, 60_000);

  it('keeps the copy when the set is deleted', async () => {
    const { db, setId } = await labWithOwnSet();
    const id = newRun(db, setId);
    const before = experimentProblems(db, getExperiment(db, id)!);
    deleteProblemSet(db, setId);
    expect(experimentProblems(db, getExperiment(db, id)!)).toEqual(before);
  });

  it('refuses a run without a copy whose set lost a problem it trained on, naming the problem', async () => {
    const { db, dbPath, setId } = await labWithOwnSet();
    const id = newRun(db, setId);
    await runTrainingLoop({ db, dbPath, experiment: getExperiment(db, id)!, resume: false, channel: stoppingChannel(true) });
    db.prepare('DELETE FROM experiment_problems WHERE experiment_id = ?').run(id); // a run from before copies were kept
    const trained = trainedOn(db, id)[0]!.problem_name;
    deleteProblem(db, setId, listProblems(db, setId).findIndex((p) => (p.name ?? p.function_name) === trained));
    const refusal = () => experimentProblems(db, getExperiment(db, id)!);
    expect(refusal).toThrow(ProblemsChangedError);
    expect(refusal).toThrow(`"${trained}" is no longer in it`);
  }, 60_000);
});
