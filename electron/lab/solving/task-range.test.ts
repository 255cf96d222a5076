import { describe, expect, it } from 'vitest';
import type { Problem } from '#shared/problems/problem.ts';
import { problemsInTaskRange, taskNumber } from './task-range.ts';

const problem = (name: string | undefined): Problem => ({ ...(name === undefined ? {} : { name }), function_name: 'f', docstring: 'd', test_cases: [[1, 1]] }) as Problem;

describe('task ranges', () => {
  it('reads the task number from the digits ending the name', () => {
    expect([taskNumber(problem('mbpp/510')), taskNumber(problem('HumanEval/0')), taskNumber(problem('add')), taskNumber(problem(undefined))]).toEqual([510, 0, null, null]);
  });

  it('keeps the problems within the range, both ends included, in their order', () => {
    const names = ['mbpp/12', 'mbpp/9', 'mbpp/11', 'mbpp/13', 'unnumbered', 'mbpp/10'];
    expect(problemsInTaskRange(names.map(problem), { first: 10, last: 12 }).map((p) => p.name)).toEqual(['mbpp/12', 'mbpp/11', 'mbpp/10']);
  });
});
