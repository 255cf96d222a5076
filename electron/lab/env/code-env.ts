import type { Problem } from '#shared/problems/problem.ts';
import type { Sample } from '#shared/executor/sample.ts';
import { sampleFromProblem } from '#shared/executor/sample-from-problem.ts';
import type { SampleResult, Verdict } from '#shared/executor/verdict.ts';
import { PARAM_SLOTS, TOKEN_COUNT, TOKENS } from '#shared/env/token-vocabulary.ts';
import { curriculumOrder, curriculumPool } from '#lab/rewards/curriculum-reward.ts';
import { CodeQualityReward } from '#lab/rewards/code-quality-reward.ts';
import { addParts, sumParts, zeroParts, type RewardFunction, type RewardParts } from '#lab/rewards/reward-function.ts';
import { GrammarMasker } from './grammar-mask.ts';
import { applyToken, initialState, MODE, type GrammarState } from './grammar-state.ts';
import { childOf, ProgramMemory, type MemorySnapshot, type ProgramRecord, type TrieNode } from './program-memory.ts';
import { displaySource, programSource, sourceNames, type SourceNames } from './program-source.ts';
import { Rng } from '#lab/random/rng.ts';
import { CODE_DIMS, problemPart, stateSizeOf, writeCodeEmbedding, writeMetadata, type StateLayout } from './state-encoding.ts';

export interface CodeEnvOptions {
  readonly problems: readonly Problem[];
  /** Judges finished programs (the pooled tier); without one, programs are not run (benchmarks). */
  readonly executor?: { run(sample: Sample, tier?: 'pooled'): Promise<SampleResult> } | null;
  /** Tokens per program, END included (config environment.max_steps). */
  readonly maxSteps?: number;
  /** Default: code_quality with the config's default weights and our default options. */
  readonly reward?: RewardFunction;
  readonly seed?: number;
  /** Write tokens the mask leaves no choice about (`:` NEWLINE INDENT ...) without asking the agent. */
  readonly autoForced?: boolean;
  /** Mask subtrees whose programs were all executed already (needs a memory with its trie; made if absent). */
  readonly avoidRepeats?: boolean;
  /** Executed programs, shareable between environments; a hit is not executed again. */
  readonly memory?: ProgramMemory;
  /** Per-test wall-clock budget for the executor. */
  readonly timeoutMs?: number;
  /**
   * `seed` (default): the seed's 256 + 256 + 8 floats. `signatures`: the tests' property
   * signatures (property-signature.ts) follow the problem block, before the code and metadata.
   */
  readonly stateLayout?: StateLayout;
}

export interface ResetInfo {
  readonly problemIndex: number;
  readonly functionName: string;
  readonly validActions: number;
}

export interface StepInfo {
  /** The token the agent chose. */
  readonly token: string;
  /** Tokens written after it because the grammar allowed nothing else. */
  readonly autoTokens: readonly string[];
  readonly rewardParts: RewardParts;
  readonly validActions: number;
  /** True when the finished program went to the executor (not on a memory hit). */
  readonly executed: boolean;
  readonly code?: string;
  readonly testsPassed?: number;
  readonly testsTotal?: number;
  readonly verdicts?: readonly Verdict[];
}

export interface Observation {
  readonly state: Float32Array;
  /** The actions allowed now: the grammar's, minus exhausted subtrees when repeats are avoided. */
  readonly mask: Uint8Array;
  /**
   * The grammar's mask alone (equal to `mask` unless this episode avoids repeats): what a greedy
   * episode sees, so the one a learner's bootstrapped max must range over. Avoiding repeats steers
   * which programs are tried; it does not change what a state is worth.
   */
  readonly grammarMask: Uint8Array;
}

export interface ResetOptions {
  /** This episode masks subtrees already executed (default: the environment's `avoidRepeats`). */
  readonly avoidRepeats?: boolean;
}
export interface StepResult extends Observation {
  readonly reward: number;
  readonly done: boolean;
  readonly info: StepInfo;
}

/** A step begun (see CodeEnv.begin): its result at once, or a finished program being judged. */
export type PendingStep =
  | { readonly result: StepResult }
  | {
      readonly result?: undefined;
      readonly parts: RewardParts;
      readonly base: { token: string; autoTokens: string[]; validActions: number };
      readonly code: string;
      /** Absent when the memory knew the program (or there is no executor). */
      readonly execution: Promise<SampleResult> | undefined;
    };

interface ProblemContext {
  readonly problem: Problem;
  readonly names: SourceNames;
  readonly embedding: Float32Array;
  readonly masker: GrammarMasker;
}

const DEFAULT_WEIGHTS = { correctness_weight: 10, quality_weight: 2, efficiency_weight: 1, progress_weight: 0.5 };

/**
 * The grammar-masked code environment (Gym-style): each action writes one token of a small Python
 * subset; the mask allows only tokens that keep a valid prefix that can still be finished within
 * max_steps, so every finished program compiles and every episode ends by END within max_steps.
 * The finished program is judged by the executor, hence the async `step`.
 */
export class CodeEnv {
  readonly actionCount = TOKEN_COUNT;
  readonly stateSize: number;
  readonly tokens: readonly string[] = TOKENS.map((t) => t.name);
  readonly maxSteps: number;
  readonly memory: ProgramMemory;
  readonly reward: RewardFunction;
  private readonly contexts: ProblemContext[];
  private readonly rng: Rng;
  private readonly order: number[];
  private pool: number[];
  private ctx!: ProblemContext;
  private index = -1;
  private s: GrammarState = initialState();
  private written: number[] = [];
  private counts = new Uint16Array(TOKEN_COUNT);
  private mask = new Uint8Array(TOKEN_COUNT);
  private grammarMask = new Uint8Array(TOKEN_COUNT);
  private valid = 0;
  /** Valid tokens by the grammar alone (forced tokens are decided on this, not on the trie's mask). */
  private grammarValid = 0;
  private avoiding = false;
  private path: TrieNode[] = [];
  private completable = false;
  private returned = false;
  private done = true;

  constructor(private readonly options: CodeEnvOptions) {
    if (options.problems.length === 0) throw new Error('the environment needs at least one problem');
    this.maxSteps = options.maxSteps ?? 50;
    this.reward = options.reward ?? new CodeQualityReward(DEFAULT_WEIGHTS);
    this.memory = options.memory ?? new ProgramMemory(options.avoidRepeats ?? false);
    if (options.avoidRepeats && !this.memory.trie) throw new Error('avoidRepeats needs a ProgramMemory made with its trie');
    this.rng = new Rng(options.seed ?? 0);
    this.stateSize = stateSizeOf(options.stateLayout ?? 'seed');
    this.contexts = options.problems.map((problem) => {
      const names = sourceNames(problem);
      return {
        problem,
        names,
        embedding: problemPart(problem, names.parameters, options.stateLayout ?? 'seed'),
        masker: new GrammarMasker({ paramCount: names.parameters.length, maxSteps: this.maxSteps, shadowed: names.parameters }),
      };
    });
    this.order = curriculumOrder(options.problems);
    this.pool = this.reward.type === 'curriculum' ? curriculumPool(this.order, 0) : this.order.map((_, i) => i);
  }

  /** Training progress in [0, 1]: moves the curriculum (problem pool and shaping). */
  setTrainingProgress(progress: number): void {
    this.reward.setProgress?.(progress);
    if (this.reward.type === 'curriculum') this.pool = curriculumPool(this.order, progress);
  }

  /** Starts an episode on a problem (default: drawn from the pool with the env's seeded generator). */
  reset(problemIndex?: number, options: ResetOptions = {}): Observation & { info: ResetInfo } {
    const index = problemIndex ?? this.pool[this.rng.int(this.pool.length)]!;
    const ctx = this.contexts[index];
    if (!ctx) throw new Error(`no problem at index ${index}`);
    const avoid = options.avoidRepeats ?? this.options.avoidRepeats ?? false;
    if (avoid && !this.memory.trie) throw new Error('avoidRepeats needs a ProgramMemory made with its trie');
    this.avoiding = avoid;
    this.ctx = ctx;
    this.index = index;
    this.s = initialState();
    this.written = [];
    this.counts.fill(0);
    this.path = this.memory.trie ? [this.memory.root(index)] : [];
    this.completable = this.returned = this.done = false;
    this.refreshMask();
    return { ...this.observe(0), info: { problemIndex: index, functionName: ctx.problem.function_name, validActions: this.valid } };
  }

  async step(action: number): Promise<StepResult> {
    return this.settle(this.begin(action));
  }

  /**
   * The synchronous half of a step: writes the token (and what the grammar forces after it); a
   * finished program starts executing. `settle` completes it. Lockstep lanes begin their steps in
   * lane order and settle them in lane order, so several finished programs run on the executor's
   * pool at once (and while the agent learns) and the memory still records them in lane order.
   */
  begin(action: number): PendingStep {
    if (this.done) throw new Error('step() after the episode ended: call reset()');
    if (this.mask[action] !== 1) throw new Error(`action ${action} (${this.tokens[action] ?? '?'}) is masked here`);
    const parts = zeroParts();
    const autoTokens: string[] = [];
    this.write(action, parts);
    // Forced by the grammar, not by the trie: a token only the trie leaves open is the agent's
    // choice, so a transition means the same in a greedy episode as in one that avoids repeats.
    while (!this.done && (this.options.autoForced ?? true) && this.grammarValid === 1) {
      const only = this.mask.indexOf(1);
      autoTokens.push(this.tokens[only]!);
      this.write(only, parts);
    }
    const base = { token: this.tokens[action]!, autoTokens, validActions: this.valid };
    if (!this.done) return { result: { ...this.observe(0), reward: sumParts(parts), done: false, info: { ...base, rewardParts: parts, executed: false } } };
    const code = programSource(this.written, this.ctx.problem, this.ctx.names);
    return { parts, base, code, execution: this.startExecution(code) };
  }

  /** The step's result: for a finished program, once the executor judged it (or the memory knew it). */
  async settle(pending: PendingStep): Promise<StepResult> {
    if (pending.result) return pending.result;
    const { parts, base, code } = pending;
    const { record, executed } = await this.judge(pending.execution);
    const s = this.s;
    addParts(parts, this.reward.program({
      maxSteps: this.maxSteps,
      tokens: this.written.length,
      passed: record?.passed ?? 0,
      total: record?.total ?? 0,
      compiled: record?.compiled ?? true,
      readsParameter: s.paramsRead !== 0,
      hasReturn: s.returns > 0,
      maxDepth: s.maxDepth,
      loops: s.loops,
    }));
    const fraction = record && record.total > 0 ? record.passed / record.total : 0;
    return {
      ...this.observe(fraction),
      reward: sumParts(parts),
      done: true,
      info: {
        ...base,
        rewardParts: parts,
        executed,
        code,
        ...(record ? { testsPassed: record.passed, testsTotal: record.total, verdicts: record.verdicts } : {}),
      },
    };
  }

  /**
   * Refills an empty memory from a snapshot (a checkpoint's): programs are replayed in the order they
   * ran, each prefix's grammar mask recorded as a live episode would have, so the trie, its
   * exhausted subtrees and the counters come back exactly as they were.
   */
  restoreMemory(snapshot: MemorySnapshot): void {
    if (this.memory.executed !== 0 || this.memory.hits !== 0) throw new Error('restoreMemory needs an empty memory');
    const mask = new Uint8Array(TOKEN_COUNT);
    const marks: { problem: number; tokens: number[]; path: TrieNode[] }[] = [];
    for (const { problem, tokens, record, marked } of ProgramMemory.programsOf(snapshot)) {
      const ctx = this.contexts[problem];
      if (!ctx) throw new Error(`memory snapshot: no problem at index ${problem}`);
      let path: TrieNode[] | undefined;
      if (this.memory.trie) {
        path = [this.memory.root(problem)];
        const s = initialState();
        for (const action of tokens) {
          const at = path[path.length - 1]!;
          if (!at.allowed) {
            ctx.masker.write(s, mask);
            at.allowed = [...mask.keys()].filter((a) => mask[a] === 1);
          }
          applyToken(s, action);
          path.push(childOf(at, action));
        }
      }
      this.memory.set(problem, tokens, record);
      if (path && marked) marks.push({ problem, tokens, path });
    }
    // Exhaustion is a fixpoint of the marked leaves (a node is exhausted when all its allowed
    // children are), so marking them after every prefix's mask is known reproduces it exactly.
    for (const { problem, tokens, path } of marks) this.memory.markTried(problem, tokens, path);
    this.memory.executed = snapshot.executed;
    this.memory.hits = snapshot.hits;
  }

  /** The program so far as a person reads it (no loop guards; the unfinished line included). */
  render(): string {
    return displaySource(this.written, this.ctx.problem, this.ctx.names);
  }

  /** Action ids written this episode (auto-written ones included). */
  get programTokens(): readonly number[] {
    return this.written;
  }

  get problemIndex(): number {
    return this.index;
  }

  /** Sends a finished program to the executor unless the memory already knows it. */
  private startExecution(code: string): Promise<SampleResult> | undefined {
    const executor = this.options.executor;
    if (!executor || this.memory.has(this.index, this.written)) return undefined;
    const timeout = this.options.timeoutMs;
    const execution = executor.run(sampleFromProblem(this.ctx.problem, code, timeout === undefined ? {} : { timeoutMs: timeout }), 'pooled');
    // Settled later; a lane whose step is never settled (another lane's error ended the batch) must not leave an unhandled rejection.
    execution.catch(() => {});
    return execution;
  }

  private async judge(execution: Promise<SampleResult> | undefined): Promise<{ record: ProgramRecord | undefined; executed: boolean }> {
    // Looked up again at settle time: another lane, settled earlier, may have run the same program.
    const known = this.memory.get(this.index, this.written);
    if (known) {
      if (this.avoiding) this.memory.markTried(this.index, this.written, this.path);
      return { record: known, executed: false };
    }
    if (!execution) return { record: undefined, executed: false };
    const result = await execution;
    const record: ProgramRecord = {
      passed: result.passed,
      total: result.total,
      compiled: result.verdict !== 'compile_error',
      verdicts: result.tests.map((t) => t.verdict),
    };
    const executed = !result.cached;
    // Only an episode that avoids repeats marks the trie: a program a greedy evaluation ran stays
    // open to training, or the greedy policy's own mistakes could never be tried and corrected.
    // Remembered (and marked) even when the executor answered from its own cache, which a resumed run
    // starts without: which programs a training episode may write must not depend on that cache.
    this.memory.set(this.index, this.written, record, this.avoiding ? this.path : undefined, executed);
    return { record, executed };
  }

  private write(action: number, parts: RewardParts): void {
    applyToken(this.s, action);
    this.written.push(action);
    this.counts[action]!++;
    const last = this.path[this.path.length - 1];
    if (last) this.path.push(childOf(last, action));
    this.done = this.s.mode === MODE.done;
    const atStmt = this.s.mode === MODE.stmt;
    const firstCompletable = !this.completable && atStmt && this.s.blocks[this.s.blocks.length - 1]!.hasStmt;
    const firstReturn = !this.returned && atStmt && this.s.returns > 0;
    this.completable ||= firstCompletable;
    this.returned ||= firstReturn;
    addParts(parts, this.reward.token({ maxSteps: this.maxSteps, firstCompletable, firstReturn }));
    if (this.done) {
      this.mask.fill(0);
      this.grammarMask.fill(0);
      this.valid = this.grammarValid = 0;
    } else this.refreshMask();
  }

  private refreshMask(): void {
    this.valid = this.grammarValid = this.ctx.masker.write(this.s, this.mask);
    this.grammarMask.set(this.mask);
    const node = this.path[this.path.length - 1];
    if (!node) return;
    if (!node.allowed) node.allowed = [...this.mask.keys()].filter((a) => this.mask[a] === 1);
    if (!this.avoiding || node.exhausted) return;
    for (const [a, child] of node.children) {
      if (child.exhausted && this.mask[a] === 1) {
        this.mask[a] = 0;
        this.valid--;
      }
    }
  }

  private observe(passFraction: number): Observation {
    const state = new Float32Array(this.stateSize);
    state.set(this.ctx.embedding, 0);
    const paramCount = Math.min(this.ctx.names.parameters.length, PARAM_SLOTS);
    const codeAt = this.ctx.embedding.length;
    writeCodeEmbedding(state, codeAt, this.written, this.counts, this.s, paramCount);
    // The grammar's count, so a state reads the same whether or not this episode avoids repeats.
    writeMetadata(state, codeAt + CODE_DIMS, this.s, { maxSteps: this.maxSteps, validActions: this.grammarValid, passFraction, paramCount });
    return { state, mask: this.mask.slice(), grammarMask: this.grammarMask.slice() };
  }
}
