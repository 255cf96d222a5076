import { describe, expect, it } from 'vitest';
import { problemSchema } from '#shared/problems/problem.ts';
import { CodeQualityReward, SEED_CODE_QUALITY } from './code-quality-reward.ts';
import { createReward } from './create-reward.ts';
import { curriculumOrder, curriculumPool, CurriculumReward } from './curriculum-reward.ts';
import type { ProgramEvent } from './reward-function.ts';
import { sumParts } from './reward-function.ts';
import { SparseReward } from './sparse-reward.ts';

const weights = { type: 'code_quality' as const, correctness_weight: 10, quality_weight: 2, efficiency_weight: 1, progress_weight: 0.5 };
const program = (over: Partial<ProgramEvent> = {}): ProgramEvent => ({
  maxSteps: 50, tokens: 5, passed: 3, total: 6, compiled: true, readsParameter: true, hasReturn: true, maxDepth: 0, loops: 0, ...over,
});

describe('rewards', () => {
  it('code_quality pays partial credit only to programs that read a parameter (default)', () => {
    const r = new CodeQualityReward(weights);
    expect(r.program(program())).toEqual({ correctness: 5, quality: 2.4, efficiency: -0, progress: 0 });
    expect(r.program(program({ readsParameter: false })).correctness).toBe(0);
    expect(r.program(program({ passed: 6 })).correctness).toBe(30);
    expect(r.program(program({ readsParameter: false, passed: 6 })).correctness).toBe(20);
  });

  it('the seed preset pays partial credit to constant programs and 0.05 per token', () => {
    const r = new CodeQualityReward(weights, SEED_CODE_QUALITY);
    expect(r.program(program({ readsParameter: false })).correctness).toBe(5);
    expect(r.token({ maxSteps: 50, firstCompletable: false, firstReturn: false })).toEqual({ correctness: 0, quality: 0, efficiency: -0.002, progress: 0.025 });
  });

  it('quality and efficiency follow their parts', () => {
    const r = new CodeQualityReward(weights);
    expect(r.program(program({ tokens: 40, maxDepth: 3, compiled: false, hasReturn: false }))).toEqual({
      correctness: 5, quality: 0, efficiency: -0.2 * (15 / 50), progress: 0,
    });
    expect(r.token({ maxSteps: 50, firstCompletable: true, firstReturn: true }).progress).toBe(0.25);
  });

  it('sparse pays 1 for all tests passed and nothing else', () => {
    const r = new SparseReward();
    expect(sumParts(r.program(program()))).toBe(0);
    expect(r.program(program({ passed: 6 }))).toEqual({ correctness: 1, quality: 0, efficiency: 0, progress: 0 });
    expect(sumParts(r.token())).toBe(0);
  });

  it('curriculum anneals the shaping and grows the problem pool with progress', () => {
    const r = new CurriculumReward(weights);
    expect(r.program(program()).quality).toBe(2.4);
    r.setProgress(0.5);
    expect(r.program(program())).toEqual({ correctness: 5, quality: 1.2, efficiency: -0, progress: 0 });
    r.setProgress(1);
    expect(r.program(program({ tokens: 40 })).efficiency).toBe(-0);
    expect(r.token({ maxSteps: 50, firstCompletable: true, firstReturn: false }).efficiency).toBe(-0.002);
    const problem = (name: string, difficulty: 'easy' | 'hard' | undefined, ref: string) =>
      problemSchema.parse({ function_name: name, docstring: 'x', test_cases: [[1, 1]], reference_solution: ref, ...(difficulty ? { difficulty } : {}) });
    const set = [problem('c', 'hard', 'x'), problem('b', undefined, 'x'), problem('a2', 'easy', 'longer'), problem('a1', 'easy', 'short')];
    expect(curriculumOrder(set)).toEqual([3, 2, 1, 0]);
    expect(curriculumPool([3, 2, 1, 0], 0)).toEqual([3]);
    expect(curriculumPool([3, 2, 1, 0], 0.5)).toEqual([3, 2, 1]);
    expect(curriculumPool([3, 2, 1, 0], 1)).toEqual([3, 2, 1, 0]);
  });

  it('createReward follows reward.type and the preset', () => {
    expect(createReward({ ...weights, type: 'sparse' }).type).toBe('sparse');
    expect(createReward({ ...weights, type: 'curriculum' }).type).toBe('curriculum');
    const seed = createReward({ ...weights, preset: 'seed' }) as CodeQualityReward;
    expect((createReward(weights) as CodeQualityReward).options.partialCreditNeedsParameter).toBe(true);
    expect(seed.options.partialCreditNeedsParameter).toBe(false);
  });
});
