import type { Problem } from '#shared/problems/problem.ts';
import type { TaskRange } from '#shared/solving/solve-run.ts';

/** The task number of a problem: the digits ending its name (mbpp/11 is task 11); null without one. */
export function taskNumber(problem: Problem): number | null {
  const match = /(\d+)$/.exec(problem.name ?? '');
  return match ? Number(match[1]) : null;
}

/** The problems whose task number is within the range (inclusive), in their order. */
export function problemsInTaskRange(problems: readonly Problem[], range: TaskRange): Problem[] {
  return problems.filter((p) => {
    const n = taskNumber(p);
    return n !== null && n >= range.first && n <= range.last;
  });
}
