import { programSource } from '#lab/env/program-source.ts';
import { Rng } from '#lab/random/rng.ts';
import type { Sample } from '#shared/executor/sample.ts';
import type { SampleResult } from '#shared/executor/verdict.ts';
import type { Problem } from '#shared/problems/problem.ts';
import type { TaggedJson } from '#shared/values/tagged-json.ts';
import { argumentLists, PARAMETER_NAMES, SIGNATURES, type ArgType } from './input-generator.ts';
import { ProgramSampler } from './program-sampler.ts';
import { docstringFor } from './problem-docstring.ts';
import { enumerateWithEquivalence } from '#lab/search/observational-enumerator.ts';

export interface GenerateOptions {
  readonly count: number;
  readonly seed: number;
  readonly executor: { run(sample: Sample, tier?: 'pooled'): Promise<SampleResult> };
  /** Tokens per sampled program, END included (the environment's max_steps). */
  readonly maxSteps?: number;
  /** Programs judged per executor round trip. */
  readonly batch?: number;
  /** Stop after this many sampled programs even when fewer problems were kept. */
  readonly maxSampled?: number;
  readonly onProgress?: (kept: number, sampled: number) => void;
  /** Share of the problems made from enumerated expressions (the rest: sampled programs). Default 0.95. */
  readonly enumeratedShare?: number;
}

export interface GenerateReport {
  readonly problems: Problem[];
  /** Each problem's program as action ids of the environment (what pretraining imitates). */
  readonly programs: number[][];
  readonly sampled: number;
  readonly executed: number;
  readonly rejected: { repeated: number; failing: number; constant: number; duplicate: number; nondeterministic: number; unwieldy: number };
}

/** Probe inputs per signature: behaviour is compared on them. */
const PROBES = 8;
/** Fresh inputs per program, from which its 3-8 tests are taken. */
const FRESH = 8;
/**
 * Per-test budget: a sampled loop over `range(10 ** n)` would otherwise hold a worker for the
 * executor's default second; a problem's program should answer in far less.
 */
const TEST_TIMEOUT_MS = 50;

interface Candidate {
  readonly signature: number;
  readonly tokens: number[];
  readonly code: string;
  readonly fresh: TaggedJson[][];
  readonly testCount: number;
}

/** Too large to make a readable test (long texts, huge numbers, deep lists). */
const unwieldy = (v: unknown) => JSON.stringify(v).length > 60;

/**
 * Problems made from programs sampled from the environment's grammar: each program runs in the
 * sandbox (pooled tier) on the signature's probe inputs and on fresh ones; it is kept when every
 * run returned a value, the outputs are not all equal, no earlier program behaved the same on the
 * probes, and a second run gives the same outputs. Its tests are 3-8 of the fresh inputs with
 * their outputs, its docstring a template over the types. The same seed gives the same problems.
 */
export async function generateProblems(o: GenerateOptions): Promise<GenerateReport> {
  const rng = new Rng(o.seed);
  const maxSteps = o.maxSteps ?? 16;
  const batch = o.batch ?? 256;
  const maxSampled = o.maxSampled ?? o.count * 200;
  const probes = SIGNATURES.map((s) => argumentLists(rng, s.types, PROBES));
  const samplers = SIGNATURES.map((s) => new ProgramSampler(s.types.length, maxSteps));
  const totalWeight = SIGNATURES.reduce((n, s) => n + s.weight, 0);
  const drawSignature = () => {
    let r = rng.next() * totalWeight;
    for (let i = 0; i < SIGNATURES.length; i++) if ((r -= SIGNATURES[i]!.weight) < 0) return i;
    return SIGNATURES.length - 1;
  };
  const names = (types: readonly ArgType[]) => {
    const used: Record<string, number> = {};
    return types.map((t) => PARAMETER_NAMES[t][(used[t] = (used[t] ?? -1) + 1)]!);
  };
  const problems: Problem[] = [];
  const programs: number[][] = [];
  const sampledTexts = new Set<string>();
  /** Behaviour on the probes -> the problem made from it; a shorter program takes its place. */
  const behaviours = new Map<string, { index: number; length: number }>();
  const rejected = { repeated: 0, failing: 0, constant: 0, duplicate: 0, nondeterministic: 0, unwieldy: 0 };
  let sampled = 0;
  let executed = 0;

  const sampleOf = (c: Candidate): Sample => ({
    code: c.code,
    functionName: 'f',
    tests: [...probes[c.signature]!, ...c.fresh].map((args) => ({ args, expected: null })),
    timeoutMs: TEST_TIMEOUT_MS,
  });

  const judgeBatch = async (candidates: Candidate[], limit: number) => {
    const results = await Promise.all(candidates.map((c) => o.executor.run(sampleOf(c), 'pooled')));
    executed += candidates.length;
    const kept: { c: Candidate; outputs: TaggedJson[]; behaviour: string }[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i]!;
      const r = results[i]!;
      if (!r.tests.every((t) => t.verdict === 'passed' || t.verdict === 'wrong_answer')) {
        rejected.failing++;
        continue;
      }
      const outputs = r.tests.map((t) => t.actual as TaggedJson);
      const texts = outputs.map((v) => JSON.stringify(v));
      if (new Set(texts).size === 1) {
        rejected.constant++;
        continue;
      }
      if (outputs.some(unwieldy)) {
        rejected.unwieldy++;
        continue;
      }
      const behaviour = `${c.signature}:${texts.slice(0, PROBES).join('|')}`;
      const earlier = behaviours.get(behaviour);
      if (earlier && earlier.length <= c.tokens.length) {
        rejected.duplicate++;
        continue;
      }
      if (earlier) rejected.duplicate++;
      kept.push({ c, outputs, behaviour });
    }
    // A second run must agree exactly (a program could read something that changes between runs).
    const again = await Promise.all(kept.map(({ c }) => o.executor.run(sampleOf(c), 'pooled')));
    executed += kept.length;
    for (let i = 0; i < kept.length; i++) {
      const { c, outputs, behaviour } = kept[i]!;
      if (JSON.stringify(again[i]!.tests.map((t) => t.actual)) !== JSON.stringify(outputs)) {
        rejected.nondeterministic++;
        continue;
      }
      const earlier = behaviours.get(behaviour);
      if (earlier && earlier.length <= c.tokens.length) continue; // a shorter one came earlier in this batch
      if (!earlier && problems.length >= limit) continue;
      const index = earlier?.index ?? problems.length;
      const problem = toProblem(c, outputs.slice(PROBES), names(SIGNATURES[c.signature]!.types), o.seed, index);
      if (!problem) {
        rejected.constant++;
        continue;
      }
      behaviours.set(behaviour, { index, length: c.tokens.length });
      problems[index] = problem;
      programs[index] = c.tokens;
    }
    o.onProgress?.(problems.length, sampled);
  };

  // Expressions first: bottom-up enumeration over each signature's probes yields distinct,
  // error-free behaviours with their shortest programs; sampling then adds statement programs.
  const enumeratedTarget = Math.round(o.count * (o.enumeratedShare ?? 0.95));
  const enumerated: Candidate[] = [];
  for (let signature = 0; signature < SIGNATURES.length; signature++) {
    const types = SIGNATURES[signature]!.types;
    const share = SIGNATURES[signature]!.weight / totalWeight;
    const probe: Problem = {
      function_name: 'f', docstring: '', parameters: names(types), starter_code: '',
      test_cases: probes[signature]!.map((args) => [args.length === 1 ? args[0]! : args, null]),
    };
    const found: number[][] = [];
    await enumerateWithEquivalence({
      problem: probe, executor: o.executor, budget: Math.ceil(enumeratedTarget * share * 10) + 50, maxSteps, timeoutMs: TEST_TIMEOUT_MS, stopAtSolution: false,
      compositions: { count: Math.ceil(enumeratedTarget * share * 4), rng },
      onExecuted: (c) => {
        executed++;
        if (c.kept) found.push([...c.tokens]);
      },
    });
    for (const tokens of found) {
      const code = programSource(tokens, { function_name: 'f', parameters: names(types), test_cases: [] });
      enumerated.push({ signature, tokens, code, fresh: argumentLists(rng, types, FRESH), testCount: 3 + rng.int(6) });
    }
  }
  for (let i = enumerated.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [enumerated[i], enumerated[j]] = [enumerated[j]!, enumerated[i]!];
  }
  for (let i = 0; i < enumerated.length && problems.length < enumeratedTarget; i += batch) {
    const candidates = enumerated.slice(i, i + batch);
    for (const c of candidates) sampledTexts.add(`${c.signature}:${c.tokens.join(' ')}`);
    sampled += candidates.length;
    await judgeBatch(candidates, enumeratedTarget);
  }

  while (problems.length < o.count && sampled < maxSampled) {
    const candidates: Candidate[] = [];
    while (candidates.length < batch && sampled < maxSampled) {
      sampled++;
      const signature = drawSignature();
      const types = SIGNATURES[signature]!.types;
      const tokens = samplers[signature]!.sample(rng);
      const fresh = argumentLists(rng, types, FRESH);
      const testCount = 3 + rng.int(6);
      const key = `${signature}:${tokens.join(' ')}`;
      if (sampledTexts.has(key)) {
        rejected.repeated++;
        continue;
      }
      sampledTexts.add(key);
      const code = programSource(tokens, { function_name: 'f', parameters: names(types), test_cases: [] });
      candidates.push({ signature, tokens, code, fresh, testCount });
    }
    await judgeBatch(candidates, o.count);
  }
  return { problems, programs, sampled, executed, rejected };
}

/** The problem's tests: the first `testCount` fresh inputs, more if those alone look constant. */
function toProblem(c: Candidate, outputs: TaggedJson[], parameters: string[], seed: number, index: number): Problem | undefined {
  let n = c.testCount;
  const distinct = (k: number) => new Set(outputs.slice(0, k).map((v) => JSON.stringify(v))).size > 1;
  while (n < outputs.length && !distinct(n)) n++;
  if (!distinct(n)) return undefined;
  const functionName = `generated_${index}`;
  const input = (args: TaggedJson[]): TaggedJson => (args.length === 1 ? args[0]! : args);
  const types = SIGNATURES[c.signature]!.types;
  return {
    name: `generated-${seed}-${index}`,
    function_name: functionName,
    docstring: docstringFor(types, parameters, outputs),
    parameters,
    test_cases: c.fresh.slice(0, n).map((args, i) => [input(args), outputs[i]!]),
    starter_code: '',
    reference_solution: programSource(c.tokens, { function_name: functionName, parameters, test_cases: [] }),
    tags: ['generated'],
    source: `generated (seed ${seed})`,
  };
}
