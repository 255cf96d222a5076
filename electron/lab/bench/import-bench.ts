import { importProblemFiles } from '#lab/problems/import-problems.ts';
import { syntheticProblemFile } from './synthetic-problems.ts';

export interface ImportBenchResult {
  problems: number;
  megabytes: number;
  /** Our import: parse with positions and exact numbers, validate, canonicalize. */
  importSeconds: number;
  /** Baseline: JSON.parse of the same bytes, which does none of that. */
  jsonParseSeconds: number;
  importVsJsonParse: number;
  heapGrowthMegabytes: number;
}

/** How long the 5,000-problem import takes, beside a bare JSON.parse of the same file. */
export async function runImportBench(): Promise<ImportBenchResult> {
  const text = syntheticProblemFile();
  const bytes = new TextEncoder().encode(text);
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const outcome = await importProblemFiles([{ path: 'synthetic.json', bytes }]);
  const importSeconds = (performance.now() - t0) / 1000;
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  if (!outcome.report.ok) throw new Error(`synthetic import failed: ${outcome.report.errors[0]?.message}`);
  const t1 = performance.now();
  JSON.parse(new TextDecoder().decode(bytes));
  const jsonParseSeconds = (performance.now() - t1) / 1000;
  return {
    problems: outcome.problems.length,
    megabytes: bytes.length / 1e6,
    importSeconds,
    jsonParseSeconds,
    importVsJsonParse: importSeconds / jsonParseSeconds,
    heapGrowthMegabytes: heapGrowth / 1e6,
  };
}
