import { describe, expect, it } from 'vitest';
import type { Problem } from '#shared/problems/problem.ts';
import { openDatabase } from './database.ts';
import {
  deleteProblemSet,
  findProblemSet,
  listProblems,
  listProblemSets,
  ProblemSetExistsError,
  renameProblemSet,
  saveProblemSet,
} from './problem-sets.ts';

const problem = (name: string): Problem => ({
  function_name: name,
  docstring: `Compute ${name}.`,
  test_cases: [[[1, 2], { $float: '3.0' }], [[{ $int: '99999999999999999999' }, 0], { $tuple: [1] }]],
  starter_code: '',
  parameters: ['a', 'b'],
});

describe('problem sets in the store', () => {
  it('stores a set and gives its problems back in order, values intact', () => {
    const db = openDatabase(':memory:');
    const id = saveProblemSet(db, { name: 'basics', description: 'd', sourceFiles: ['b.json'], problems: [problem('b'), problem('a')] });
    expect(findProblemSet(db, 'basics')).toMatchObject({ id, name: 'basics', problem_count: 2, source_files: ['b.json'], bundled: false });
    expect(listProblems(db, id)).toEqual([problem('b'), problem('a')]);
    db.close();
  });

  it('refuses a second set of the same name and leaves the first untouched', () => {
    const db = openDatabase(':memory:');
    const id = saveProblemSet(db, { name: 's', problems: [problem('a')] });
    expect(() => saveProblemSet(db, { name: 's', problems: [problem('b')] })).toThrow(ProblemSetExistsError);
    expect(listProblems(db, id).map((p) => p.function_name)).toEqual(['a']);
    expect(listProblemSets(db)).toHaveLength(1);
    db.close();
  });

  it('replaces a set when asked, in one transaction', () => {
    const db = openDatabase(':memory:');
    saveProblemSet(db, { name: 's', problems: [problem('a')] });
    const id = saveProblemSet(db, { name: 's', problems: [problem('b'), problem('c')], replace: true });
    expect(listProblems(db, id).map((p) => p.function_name)).toEqual(['b', 'c']);
    expect(listProblemSets(db)).toHaveLength(1);
    db.close();
  });

  it('stores nothing when a problem cannot be written', () => {
    const db = openDatabase(':memory:');
    expect(() => saveProblemSet(db, { name: 's', problems: [problem('a'), problem('a')] })).toThrow(/UNIQUE/);
    expect(listProblemSets(db)).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM problems').get()).toEqual({ n: 0 });
    db.close();
  });

  it('renames and deletes sets, deleting their problems too', () => {
    const db = openDatabase(':memory:');
    const id = saveProblemSet(db, { name: 'old', problems: [problem('a')] });
    renameProblemSet(db, id, 'new');
    expect(findProblemSet(db, 'new')?.id).toBe(id);
    expect(deleteProblemSet(db, id)).toBe(true);
    expect(db.prepare('SELECT count(*) AS n FROM problems').get()).toEqual({ n: 0 });
    db.close();
  });
});
