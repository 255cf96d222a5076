import type { DiagnosticRow, StepRecord } from '#lab/store/run-writer.ts';
import { TD_QUANTILES, type SampleOf } from '#shared/diagnostics/diagnostic-samples.ts';
import { TOKENS } from '#shared/env/token-vocabulary.ts';
import { BufferLedger } from './buffer-ledger.ts';
import { Reservoir } from './reservoir.ts';

export interface DiagnosticsSettings {
  /** Episodes between samples (training.diagnostics_every). */
  every: number;
  gamma: number;
  /** The replay buffer's capacity, and the success buffer's (0: none) with its share of each batch. */
  bufferCapacity: number;
  successCapacity: number;
  successFraction: number;
  /** Agents that report Q-values get the value panels; all agents get token counts. */
  valueAgent: boolean;
}

/** A problem's best programs as the agent keeps them (priority-queue training), printed. */
export interface QueueSnapshot {
  problem: string;
  programs: SampleOf<'queue'>['data']['programs'];
}

/** Keeps at most this many values per window (TD errors, chosen probabilities). */
const RESERVOIR = 4096;

/** Per step position: sums over a window's sampled decisions. */
class PositionTally {
  entropy: number[] = [];
  probability: number[] = [];
  decisions: number[] = [];

  add(position: number, entropy: number, probability: number): void {
    this.entropy[position] = (this.entropy[position] ?? 0) + entropy;
    this.probability[position] = (this.probability[position] ?? 0) + probability;
    this.decisions[position] = (this.decisions[position] ?? 0) + 1;
  }

  means(): { entropy: number[]; probability: number[]; decisions: number[] } {
    const n = this.decisions.length;
    const mean = (sums: number[]) => Array.from({ length: n }, (_, i) => (this.decisions[i] ? sums[i]! / this.decisions[i]! : 0));
    return { entropy: mean(this.entropy), probability: mean(this.probability), decisions: Array.from({ length: n }, (_, i) => this.decisions[i] ?? 0) };
  }
}

/**
 * What the trainer samples about its agent, at a bounded cost: per-episode work is counting the
 * program's tokens and adding to the buffer ledger (a few array writes); every `every` episodes a
 * window closes and writes one TD-error row, one buffer row and one token row per problem, and
 * that episode's steps (kept in memory for it) give a first-step value against the return it got.
 * Agents that sample add one policy row (entropy and chosen-token probability per step position)
 * and, where they keep one, their queue of best programs per problem.
 * Rows go to the run writer, batched with the metrics.
 */
export class DiagnosticsRecorder {
  /** Milliseconds every recorder of this process has spent recording: what `lab bench train-diagnostics` reports as its cost. */
  static busyMs = 0;
  private readonly ledger: BufferLedger;
  private readonly successes: BufferLedger;
  private readonly td = new Reservoir(RESERVOIR);
  private readonly chosen = new Reservoir(RESERVOIR);
  private positions = new PositionTally();
  private readonly lastQueue = new Map<string, string>();
  private tokens = new Map<string, { counts: Map<number, number>; episodes: number }>();

  /** `queues`: the agent's best programs per problem, read when a window closes (agents that keep them). */
  constructor(
    private readonly settings: DiagnosticsSettings,
    private readonly write: (row: DiagnosticRow) => void,
    private readonly queues?: () => QueueSnapshot[],
  ) {
    this.ledger = new BufferLedger(settings.bufferCapacity);
    this.successes = new BufferLedger(settings.successCapacity);
  }

  /** The episode's steps are needed (kept in memory, not stored) for its value-against-return sample. */
  wantsSteps(episode: number): boolean {
    return this.settings.valueAgent && episode % this.settings.every === 0;
  }

  /** Transitions the agent learnt from outside its own episodes (search replays) for a problem. */
  replayed(problem: string, episode: number, transitions: number, success: boolean): void {
    const t0 = performance.now();
    this.ledger.add('search', problem, episode, transitions);
    if (success) this.successes.add('search', problem, episode, transitions);
    DiagnosticsRecorder.busyMs += performance.now() - t0;
  }

  /** One of the agent's own training episodes, after it ended. */
  episode(e: { episode: number; step: number; problem: string; tokens: readonly number[]; decisions: number; learned: boolean; success: boolean; steps?: readonly StepRecord[]; tdErrors: readonly Float32Array[]; policy?: { entropy: readonly number[]; probability: readonly number[] } }): void {
    const t0 = performance.now();
    this.record(e);
    DiagnosticsRecorder.busyMs += performance.now() - t0;
  }

  private record(e: Parameters<DiagnosticsRecorder['episode']>[0]): void {
    if (e.learned) {
      this.ledger.add('policy', e.problem, e.episode, e.decisions);
      if (e.success) this.successes.add('policy', e.problem, e.episode, e.decisions);
    }
    for (const batch of e.tdErrors) for (const delta of batch) this.td.add(delta);
    if (e.policy) {
      e.policy.entropy.forEach((h, position) => {
        const p = e.policy!.probability[position]!;
        this.positions.add(position, h, p);
        this.chosen.add(p);
      });
    }
    const tally = this.tokens.get(e.problem) ?? { counts: new Map<number, number>(), episodes: 0 };
    for (const token of e.tokens) tally.counts.set(token, (tally.counts.get(token) ?? 0) + 1);
    tally.episodes++;
    this.tokens.set(e.problem, tally);
    if (this.wantsSteps(e.episode) && e.steps?.length) this.firstStepValue(e);
    if (e.episode % this.settings.every === 0) this.closeWindow(e.episode, e.step);
  }

  private firstStepValue(e: { episode: number; step: number; problem: string; success: boolean; steps?: readonly StepRecord[] }): void {
    const steps = e.steps!;
    const first = steps[0]!;
    // Q of the action taken; an exploratory pick outside the five best has no stored value.
    const q = first.topQ.find(([action]) => action === first.action)?.[1];
    if (q === undefined) return;
    let ret = 0;
    for (let t = steps.length - 1; t >= 0; t--) ret = steps[t]!.reward + this.settings.gamma * ret;
    this.write({ kind: 'q_return', episode: e.episode, step: e.step, problem: e.problem, data: { q, ret, success: e.success } });
  }

  private closeWindow(episode: number, step: number): void {
    if (this.settings.valueAgent && this.td.size) this.write({ kind: 'td_errors', episode, step, problem: null, data: this.td.take(TD_QUANTILES) });
    else this.td.clear();
    if (this.chosen.size) {
      const means = this.positions.means();
      this.write({ kind: 'policy', episode, step, problem: null, data: { ...means, probability_quantiles: this.chosen.take(TD_QUANTILES).quantiles } });
      this.positions = new PositionTally();
    }
    for (const queue of this.queues?.() ?? []) {
      // A queue is written when it changed: the panel shows how it grew, the store stays small.
      const key = JSON.stringify(queue.programs);
      if (!queue.programs.length || this.lastQueue.get(queue.problem) === key) continue;
      this.lastQueue.set(queue.problem, key);
      this.write({ kind: 'queue', episode, step, problem: queue.problem, data: { programs: queue.programs } });
    }
    if (this.settings.valueAgent && this.ledger.size) {
      const m = this.ledger.makeUp(episode);
      this.write({
        kind: 'buffer',
        episode,
        step,
        problem: null,
        data: {
          size: this.ledger.size,
          capacity: this.settings.bufferCapacity,
          by_source: m.bySource,
          by_problem: m.byProblem,
          age_median: m.ageMedian,
          age_p90: m.ageP90,
          success_size: this.successes.size,
          success_share: this.successes.size > 0 ? this.settings.successFraction : 0,
        },
      });
    }
    for (const [problem, tally] of this.tokens) {
      const counts = Object.fromEntries([...tally.counts].map(([id, n]) => [TOKENS[id]?.name ?? String(id), n]));
      this.write({ kind: 'tokens', episode, step, problem, data: { counts, episodes: tally.episodes } });
    }
    this.tokens = new Map();
  }
}
