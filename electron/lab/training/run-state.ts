import type { EpsilonOverride } from '#lab/agents/exploration.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import type { TrainerProgress } from '#shared/training/trainer-events.ts';
import type { EpisodeOutcome } from './episode-runner.ts';
import type { ProblemSearchSnapshot } from './program-search.ts';

/** Everything about a run's progress that a checkpoint must carry for an exact resume. */
export interface RunCounters {
  episode: number;
  envSteps: number;
  samplesExecuted: number;
  elapsedSeconds: number;
  learningRate: number;
  /** A person set epsilon to `value` at `episode`; the schedule decays from there. */
  epsilonOverride: EpsilonOverride | null;
  bestGreedy: number | null;
  recentSuccess: number[];
  recentReturns: number[];
  firstSuccesses: number[];
  solved: Record<string, { code: string; episode: number }>;
  /** Problem indices the last greedy evaluation passed (they steer which problems train next). */
  greedySolved?: number[];
  /** Search-guided exploration: each searched problem's search state (training.search_programs). */
  search?: [problem: number, search: ProblemSearchSnapshot][];
  /** Programs the search proposed and ran (memory hits excluded) and episodes it replayed for learning. */
  searchPrograms?: number;
  searchReplays?: number;
}

const WINDOW = 100;

/** The loop's bookkeeping: counters, the epsilon override, rolling rates, solved programs, the clock. */
export class RunState {
  private startedAt = Date.now();
  private pausedAt: number | null = null;
  private stepsAtLastRate = 0;
  private timeAtLastRate = Date.now();
  private rate = 0;
  private searchSource: (() => [number, ProblemSearchSnapshot][]) | undefined;
  private constructor(private c: RunCounters) {
    this.startedAt = Date.now() - c.elapsedSeconds * 1000;
    this.stepsAtLastRate = c.envSteps;
  }

  static fresh(config: TrainingConfig): RunState {
    return new RunState({
      episode: 0, envSteps: 0, samplesExecuted: 0, elapsedSeconds: 0, learningRate: config.agent.learning_rate,
      epsilonOverride: null, bestGreedy: null, recentSuccess: [], recentReturns: [], firstSuccesses: [], solved: {},
    });
  }

  static restore(counters: RunCounters): RunState {
    return new RunState(structuredClone(counters));
  }

  counters(): RunCounters {
    if (this.searchSource) this.c.search = this.searchSource();
    return structuredClone({ ...this.c, elapsedSeconds: this.elapsed() });
  }

  get episode(): number {
    return this.c.episode;
  }
  get envSteps(): number {
    return this.c.envSteps;
  }
  get samplesExecuted(): number {
    return this.c.samplesExecuted;
  }
  set samplesExecuted(value: number) {
    this.c.samplesExecuted = value;
  }
  get learningRate(): number {
    return this.c.learningRate;
  }
  set learningRate(value: number) {
    this.c.learningRate = value;
  }
  get greedySolved(): readonly number[] {
    return this.c.greedySolved ?? [];
  }
  set greedySolved(value: readonly number[]) {
    this.c.greedySolved = [...value];
  }
  get searchPrograms(): number {
    return this.c.searchPrograms ?? 0;
  }
  get search(): readonly [number, ProblemSearchSnapshot][] {
    return this.c.search ?? [];
  }
  /**
   * Where the search state comes from (SearchGuidance): read when the counters are taken, not after
   * every episode (copying every problem's search state per episode cost ~2.5% of training).
   */
  followSearch(source: () => [number, ProblemSearchSnapshot][]): void {
    this.searchSource = source;
  }

  /** A search program (executed or a memory hit) or a replayed learning episode of `decisions` steps. */
  recordSearch(kind: 'program' | 'replay', executed: boolean, decisions: number): void {
    if (executed) this.c.samplesExecuted++;
    if (kind === 'program') this.c.searchPrograms = (this.c.searchPrograms ?? 0) + 1;
    else {
      this.c.searchReplays = (this.c.searchReplays ?? 0) + 1;
      this.c.envSteps += decisions;
    }
  }

  get bestGreedy(): number | null {
    return this.c.bestGreedy;
  }
  set bestGreedy(value: number | null) {
    this.c.bestGreedy = value;
  }

  /** The agent kind's exploration schedule (AgentDefinition.epsilon), set once by the loop. */
  schedule: (episode: number, override: EpsilonOverride | null) => number = () => 0;

  /** The exploration rate of an episode: the schedule, restarted from a person's override. */
  epsilonFor(episode: number): number {
    return this.schedule(episode, this.c.epsilonOverride);
  }

  overrideEpsilon(value: number): void {
    this.c.epsilonOverride = { value, episode: this.c.episode + 1 };
  }

  recordEpisode(episode: number, outcome: EpisodeOutcome, _problemIndex: number, _epsilon: number): void {
    this.c.episode = episode;
    this.c.envSteps += outcome.decisions;
    if (outcome.executed) this.c.samplesExecuted++;
    this.c.recentSuccess = [...this.c.recentSuccess.slice(-(WINDOW - 1)), outcome.record.success ? 1 : 0];
    this.c.recentReturns = [...this.c.recentReturns.slice(-(WINDOW - 1)), outcome.record.totalReturn];
  }

  successRate(): number {
    const r = this.c.recentSuccess;
    return r.length ? r.reduce((a, b) => a + b, 0) / r.length : 0;
  }

  firstSuccessSeen(problemIndex: number): boolean {
    return this.c.firstSuccesses.includes(problemIndex);
  }

  /** True the first time a problem is solved in training (that episode is kept for replay). */
  markFirstSuccess(problemIndex: number): boolean {
    if (this.c.firstSuccesses.includes(problemIndex)) return false;
    this.c.firstSuccesses.push(problemIndex);
    return true;
  }

  /** Keeps the shortest passing program per problem. */
  solved(problem: string, code: string, episode: number): void {
    const known = this.c.solved[problem];
    if (!known || code.length < known.code.length) this.c.solved[problem] = { code, episode };
  }

  elapsed(): number {
    const now = this.pausedAt ?? Date.now();
    return (now - this.startedAt) / 1000;
  }

  pauseClock(): void {
    this.pausedAt = Date.now();
  }

  resumeClock(): void {
    if (this.pausedAt !== null) this.startedAt += Date.now() - this.pausedAt;
    this.pausedAt = null;
  }

  stepsPerSecond(): number {
    const now = Date.now();
    if (now - this.timeAtLastRate >= 1000) {
      this.rate = ((this.c.envSteps - this.stepsAtLastRate) * 1000) / (now - this.timeAtLastRate);
      this.stepsAtLastRate = this.c.envSteps;
      this.timeAtLastRate = now;
    }
    return this.rate;
  }

  progress(experimentId: number, total: number): TrainerProgress {
    const elapsed = this.elapsed();
    const done = this.c.episode;
    const returns = this.c.recentReturns;
    return {
      experiment_id: experimentId,
      episode: done,
      episodes_total: total,
      env_steps: this.c.envSteps,
      samples_executed: this.c.samplesExecuted,
      epsilon: this.epsilonFor(Math.max(1, done)),
      learning_rate: this.c.learningRate,
      mean_return: returns.length ? returns.reduce((a, b) => a + b, 0) / returns.length : 0,
      success_rate: this.successRate(),
      greedy_success_rate: this.c.bestGreedy,
      steps_per_second: this.rate,
      elapsed_seconds: elapsed,
      eta_seconds: done > 0 ? (elapsed / done) * (total - done) : null,
      solved: Object.entries(this.c.solved).map(([problem, s]) => ({ problem, code: s.code, episode: s.episode })),
    };
  }
}
