import { generateProblems } from '#lab/generate/generate-problems.ts';
import { enumerateWithEquivalence } from '#lab/search/observational-enumerator.ts';
import type { Sample } from '#shared/executor/sample.ts';
import type { SampleResult } from '#shared/executor/verdict.ts';
import type { Problem } from '#shared/problems/problem.ts';

export interface CorpusOptions {
  readonly executor: { run(sample: Sample, tier?: 'pooled'): Promise<SampleResult> };
  /** Generated problems (their own programs are the targets). */
  readonly generated: number;
  readonly seed: number;
  readonly maxSteps: number;
  /**
   * Problems with tests but no program of the grammar (seed-train, MBPP's train split): a target is
   * searched for each by bottom-up enumeration, and the ones found join the corpus.
   */
  readonly searched: readonly Problem[];
  readonly searchBudget: number;
  readonly onProgress?: (message: string) => void;
}

export interface Corpus {
  readonly problems: Problem[];
  /** The target program of each problem, as action ids. */
  readonly programs: number[][];
  readonly generated: number;
  readonly searched: number;
  readonly searchedFound: number;
}

/** The pretraining corpus: generated problems, plus the searched problems a program was found for. */
export async function buildCorpus(o: CorpusOptions): Promise<Corpus> {
  const generated = await generateProblems({
    count: o.generated,
    seed: o.seed,
    executor: o.executor,
    maxSteps: o.maxSteps,
    onProgress: (kept, sampled) => o.onProgress?.(`generated ${kept}/${o.generated} problems (${sampled} programs sampled)`),
  });
  const problems = [...generated.problems];
  const programs = [...generated.programs];
  let found = 0;
  for (const [i, problem] of o.searched.entries()) {
    const result = await enumerateWithEquivalence({ problem, executor: o.executor, budget: o.searchBudget, maxSteps: o.maxSteps });
    if (result.tokens) {
      problems.push(problem);
      programs.push([...result.tokens]);
      found++;
    }
    if ((i + 1) % 50 === 0 || i + 1 === o.searched.length) o.onProgress?.(`searched ${i + 1}/${o.searched.length} training problems, ${found} with a program`);
  }
  return { problems, programs, generated: generated.problems.length, searched: o.searched.length, searchedFound: found };
}
