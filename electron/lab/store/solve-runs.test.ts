import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { createExperiment } from './experiments.ts';
import { saveProblemSet } from './problem-sets.ts';
import { createSolveRun, deleteSolveRun, finishSolveRun, getSolveRun, listSolveResults, listSolveRuns, markInterruptedSolveRuns, recordSolveResult, setSolverPid } from './solve-runs.ts';

const base = { problemSetId: null, problemSet: 'mbpp', tasks: { first: 11, last: 12 }, agents: ['enumerate-oe', 'random'] as const, problems: ['mbpp/11', 'mbpp/12'], budget: 30, seed: 4 };
const found = { agent: 'enumerate-oe' as const, problem_index: 1, problem: 'mbpp/12', solved: true, samples_executed: 7, episodes: 7, seconds: 0.25, program: 'def f(n):\n    return -n\n' };

describe('solve runs in the store', () => {
  it('reads a new run back as it was started: running, agents in order, task range, problems', () => {
    const db = openDatabase(':memory:');
    const id = createSolveRun(db, base);
    expect(getSolveRun(db, id)).toEqual({
      id,
      problem_set_id: null,
      problem_set: 'mbpp',
      tasks: { first: 11, last: 12 },
      agents: ['enumerate-oe', 'random'],
      problems: ['mbpp/11', 'mbpp/12'],
      budget: 30,
      seed: 4,
      start_from: null,
      status: 'running',
      error: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      finished_at: null,
    });
  });

  it('keeps the experiment a run starts from by name after the experiment is deleted', () => {
    const db = openDatabase(':memory:');
    const experimentId = createExperiment(db, { name: 'tiny dqn', agent: 'dqn', problemSetId: null, problemSetName: 'seed-train', config: {}, seed: 1, episodesTotal: 10 });
    const id = createSolveRun(db, { ...base, startFrom: { experimentId, experimentName: 'tiny dqn' } });
    expect(getSolveRun(db, id)?.start_from).toEqual({ experiment_id: experimentId, experiment_name: 'tiny dqn' });
    db.prepare('DELETE FROM experiments WHERE id = ?').run(experimentId);
    expect(getSolveRun(db, id)?.start_from).toEqual({ experiment_id: null, experiment_name: 'tiny dqn' });
  });

  it('stores a run without a task range as tasks null', () => {
    const db = openDatabase(':memory:');
    expect(getSolveRun(db, createSolveRun(db, { ...base, tasks: null }))?.tasks).toBe(null);
  });

  it('lists runs newest first', () => {
    const db = openDatabase(':memory:');
    const first = createSolveRun(db, base);
    const second = createSolveRun(db, base);
    expect(listSolveRuns(db).map((r) => r.id)).toEqual([second, first]);
  });

  it('reads results back in the order they were written, solved as a boolean and the program kept', () => {
    const db = openDatabase(':memory:');
    const id = createSolveRun(db, base);
    const unsolved = { ...found, agent: 'random' as const, problem_index: 0, problem: 'mbpp/11', solved: false, samples_executed: 30, program: null };
    recordSolveResult(db, id, found);
    recordSolveResult(db, id, unsolved);
    expect(listSolveResults(db, id)).toEqual([found, unsolved]);
  });

  it('refuses a second result for the same agent and problem', () => {
    const db = openDatabase(':memory:');
    const id = createSolveRun(db, base);
    recordSolveResult(db, id, found);
    expect(() => recordSolveResult(db, id, found)).toThrow(/UNIQUE/);
  });

  it('ends a running run once, stamping the time and clearing the pid; a later end changes nothing', () => {
    const db = openDatabase(':memory:');
    const id = createSolveRun(db, base);
    setSolverPid(db, id, 4321);
    expect(finishSolveRun(db, id, 'failed', 'boom')).toBe(true);
    expect(finishSolveRun(db, id, 'done')).toBe(false);
    expect(getSolveRun(db, id)).toMatchObject({ status: 'failed', error: 'boom', finished_at: expect.any(String) });
    expect(db.prepare('SELECT solver_pid FROM solve_runs WHERE id = ?').get(id)).toEqual({ solver_pid: null });
  });

  it('marks running runs whose solver is gone (or never recorded) as interrupted, and leaves live and ended ones alone', () => {
    const db = openDatabase(':memory:');
    const dead = createSolveRun(db, base);
    const alive = createSolveRun(db, base);
    const noPid = createSolveRun(db, base);
    const done = createSolveRun(db, base);
    setSolverPid(db, dead, 111);
    setSolverPid(db, alive, 222);
    finishSolveRun(db, done, 'done');
    expect(markInterruptedSolveRuns(db, (pid) => pid === 222)).toEqual([dead, noPid]);
    expect(getSolveRun(db, dead)).toMatchObject({ status: 'interrupted', error: expect.stringContaining('stopped without finishing') });
    expect(getSolveRun(db, alive)?.status).toBe('running');
    expect(getSolveRun(db, done)?.status).toBe('done');
  });

  it('deletes a run\'s results with it, and keeps a run whose problem set is deleted', () => {
    const db = openDatabase(':memory:');
    const setId = saveProblemSet(db, { name: 's', problems: [{ function_name: 'f', docstring: 'd', starter_code: '', test_cases: [[1, 1]] }] });
    const id = createSolveRun(db, { ...base, problemSetId: setId });
    recordSolveResult(db, id, found);
    db.prepare('DELETE FROM problem_sets WHERE id = ?').run(setId);
    expect(getSolveRun(db, id)).toMatchObject({ problem_set_id: null, problem_set: 'mbpp' });
    finishSolveRun(db, id, 'done');
    expect(deleteSolveRun(db, id)).toBe(true);
    expect(db.prepare('SELECT count(*) AS n FROM solve_results').get()).toEqual({ n: 0 });
    expect(deleteSolveRun(db, id)).toBe(false);
  });

  it('never gives a new run the id of a deleted one (events name runs by id)', () => {
    const db = openDatabase(':memory:');
    const first = createSolveRun(db, base);
    finishSolveRun(db, first, 'done');
    deleteSolveRun(db, first);
    expect(createSolveRun(db, base)).toBe(first + 1);
  });

  it('never deletes a running run', () => {
    const db = openDatabase(':memory:');
    const id = createSolveRun(db, base);
    expect(deleteSolveRun(db, id)).toBe(false);
    expect(getSolveRun(db, id)?.status).toBe('running');
  });
});
