import type { DiagnosticRow, StepRecord } from '#lab/store/run-writer.ts';
import { TD_QUANTILES } from '#shared/diagnostics/diagnostic-samples.ts';
import { TOKENS } from '#shared/env/token-vocabulary.ts';
import { BufferLedger } from './buffer-ledger.ts';

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

/** Keeps at most this many recent TD errors per window: a window's quantiles cost O(n log n) once. */
const TD_RESERVOIR = 4096;

/**
 * What the trainer samples about its agent, at a bounded cost: per-episode work is counting the
 * program's tokens and adding to the buffer ledger (a few array writes); every `every` episodes a
 * window closes and writes one TD-error row, one buffer row and one token row per problem, and
 * that episode's steps (kept in memory for it) give a first-step value against the return it got.
 * Rows go to the run writer, batched with the metrics.
 */
export class DiagnosticsRecorder {
  /** Milliseconds every recorder of this process has spent recording: what `lab bench train-diagnostics` reports as its cost. */
  static busyMs = 0;
  private readonly ledger: BufferLedger;
  private readonly successes: BufferLedger;
  private td: number[] = [];
  private tdSeen = 0;
  /** The reservoir's own generator (xorshift): diagnostics never draw from the run's seeded streams. */
  private draws = 0x9e3779b9;
  private tokens = new Map<string, { counts: Map<number, number>; episodes: number }>();

  constructor(
    private readonly settings: DiagnosticsSettings,
    private readonly write: (row: DiagnosticRow) => void,
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
  episode(e: { episode: number; step: number; problem: string; tokens: readonly number[]; decisions: number; learned: boolean; success: boolean; steps?: readonly StepRecord[]; tdErrors: readonly Float32Array[] }): void {
    const t0 = performance.now();
    this.record(e);
    DiagnosticsRecorder.busyMs += performance.now() - t0;
  }

  private record(e: Parameters<DiagnosticsRecorder['episode']>[0]): void {
    if (e.learned) {
      this.ledger.add('policy', e.problem, e.episode, e.decisions);
      if (e.success) this.successes.add('policy', e.problem, e.episode, e.decisions);
    }
    for (const batch of e.tdErrors) {
      for (const delta of batch) {
        // Reservoir sampling keeps a uniform sample of the window's errors in bounded memory.
        this.tdSeen++;
        if (this.td.length < TD_RESERVOIR) this.td.push(delta);
        else {
          this.draws ^= this.draws << 13;
          this.draws ^= this.draws >>> 17;
          this.draws ^= this.draws << 5;
          const slot = (this.draws >>> 0) % this.tdSeen;
          if (slot < TD_RESERVOIR) this.td[slot] = delta;
        }
      }
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
    if (this.settings.valueAgent && this.td.length) {
      const sorted = Float64Array.from(this.td).sort();
      const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
      const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
      this.write({ kind: 'td_errors', episode, step, problem: null, data: { quantiles: TD_QUANTILES.map(at), mean, n: this.tdSeen } });
    }
    this.td = [];
    this.tdSeen = 0;
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
