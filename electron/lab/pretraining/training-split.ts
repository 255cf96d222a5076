import type { Problem } from '#shared/problems/problem.ts';

/**
 * MBPP's split by task id: 11-510 is the test split and 601-974 the train split (1-10 prompt
 * examples, 511-600 validation). Only the train split may ever be trained on; the test split and
 * HumanEval are for measuring, so nothing here can select them.
 */
export const MBPP_TRAIN = { first: 601, last: 974 } as const;

export function mbppTaskId(problem: Pick<Problem, 'source' | 'name'>): number | undefined {
  const match = /^mbpp\/(\d+)$/.exec(problem.source ?? problem.name ?? '');
  return match ? Number(match[1]) : undefined;
}

/** The problems of MBPP's train split (tasks 601-974) among `problems`; every other task is left out. */
export function mbppTrainSplit(problems: readonly Problem[]): Problem[] {
  return problems.filter((p) => {
    const id = mbppTaskId(p);
    return id !== undefined && id >= MBPP_TRAIN.first && id <= MBPP_TRAIN.last;
  });
}
