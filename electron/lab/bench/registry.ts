import { runExecutorBench } from './executor-bench.ts';
import { runImportBench } from './import-bench.ts';
import { runDiagnosticsBench } from './diagnostics-bench.ts';
import { runSweepBench } from './sweep-bench.ts';
import { dqnBench } from '#lab/models/dqn-bench.ts';
import { envBench } from '#lab/env/env-bench.ts';
import { trainBench } from './train-bench.ts';

/** One named benchmark: JSON-able numbers plus the rows of a readable table. */
export interface BenchReport {
  readonly name: string;
  /** [label, value, unit] rows for the table on stderr. */
  readonly rows: readonly (readonly [string, number | string, string])[];
  readonly json: unknown;
  /** Further top-level sections of the JSON output besides the bench's own (e.g. `solve` beside `train`). */
  readonly sections?: Readonly<Record<string, unknown>>;
}

export interface Bench {
  readonly name: string;
  readonly summary: string;
  run(): Promise<BenchReport>;
}

const round = (x: number, digits = 1) => Number(x.toFixed(digits));

/** Every benchmark `lab bench` knows; `all` runs them in this order. */
export const BENCHES: Bench[] = [
  {
    name: 'executor',
    summary: 'pooled suites/s, isolated samples/s, against one Python process per sample',
    async run() {
      const r = await runExecutorBench();
      return {
        name: 'executor',
        json: r,
        rows: [
          ['pooled tier', round(r.pooled.perSecond), `tiny suites/s (${r.pooled.samples} in ${round(r.pooled.seconds, 2)} s)`],
          ['isolated tier', round(r.isolated.perSecond), `samples/s (${r.isolated.samples} in ${round(r.isolated.seconds, 2)} s)`],
          ['baseline', round(r.baseline.perSecond), `samples/s, a fresh process each (${r.baseline.samples} in ${round(r.baseline.seconds, 2)} s)`],
          ['pooled / baseline', round(r.ratios.pooledVsBaseline), 'x'],
          ['isolated / baseline', round(r.ratios.isolatedVsBaseline), 'x'],
          ['sandbox', r.sandbox, `${r.cores} cores, ${r.python}`],
        ],
      };
    },
  },
  {
    name: 'import',
    summary: 'importing 5,000 problems (~15 MB), against a bare JSON.parse of the same file',
    async run() {
      const r = await runImportBench();
      return {
        name: 'import',
        json: r,
        rows: [
          ['import', round(r.importSeconds, 2), `s for ${r.problems} problems, ${round(r.megabytes)} MB`],
          ['JSON.parse baseline', round(r.jsonParseSeconds, 2), 's (no positions, exact numbers or validation)'],
          ['import / JSON.parse', round(r.importVsJsonParse), 'x'],
          ['heap kept', round(r.heapGrowthMegabytes), 'MB after the import (the problems themselves)'],
        ],
      };
    },
  },
  dqnBench,
  envBench,
  trainBench,
  {
    name: 'train-diagnostics',
    summary: 'training episodes/s (default preset, seed-train) with the agent diagnostics recorded and without',
    async run() {
      const r = await runDiagnosticsBench();
      return {
        name: 'train-diagnostics',
        json: r,
        rows: [
          ['diagnostics off', round(r.offMean, 2), `episodes/s (runs of ${r.episodes}: ${r.off.map((x) => round(x, 2)).join(', ')})`],
          ['diagnostics on', round(r.onMean, 2), `episodes/s (${r.on.map((x) => round(x, 2)).join(', ')})`],
          ['on / off', round(r.medianRatio, 3), `x (median of ${r.pairs} alternating pairs: ${r.ratios.map((x) => round(x, 3)).join(', ')}; a warm-up run first, not counted)`],
          ['throughput lost', round(r.overheadPercent, 1), '% (median pair; noisy where other work shares the cores)'],
          ['time recording', round(r.recordingPercent, 2), '% of the training time with diagnostics on (goal < 5)'],
        ],
      };
    },
  },
  {
    name: 'sweep',
    summary: 'runs/minute of a sweep on 1, 2 and 4 workers (Redis, lab server and workers on loopback), requeue after kill -9, emit-to-stored latency',
    async run() {
      const r = await runSweepBench();
      return {
        name: 'sweep',
        json: r,
        rows: [
          ['1 worker', round(r.runsPerMinute[1]!), `runs/minute (${r.runs} runs of ${r.episodes} episodes; the baseline)`],
          ['2 workers', round(r.runsPerMinute[2]!), `runs/minute, ${round(r.speedup[2]!, 2)}x the baseline`],
          ['4 workers', round(r.runsPerMinute[4]!), `runs/minute, ${round(r.speedup[4]!, 2)}x the baseline`],
          ['requeue after kill -9', round(r.requeueMs / 1000, 2), `s (lock ${r.lockMs} ms, stall check ${r.stalledCheckMs} ms)`],
          ['emit-to-stored p50', round(r.emitToStoredMs.p50), `ms (${r.emitToStoredMs.batches} metric batches)`],
          ['emit-to-stored p95', round(r.emitToStoredMs.p95), 'ms'],
        ],
      };
    },
  },
];
