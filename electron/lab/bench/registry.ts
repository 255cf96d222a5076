import { runExecutorBench } from './executor-bench.ts';
import { runImportBench } from './import-bench.ts';
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
];
