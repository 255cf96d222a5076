/**
 * Buckets to ask for on a chart `columns` px wide: one every 2 px; every 4 px past 20 runs, where
 * single lines no longer show finer detail. Counts move in steps of 25, so a scrollbar coming or
 * going (a few px) does not fetch and draw every line again.
 */
export function seriesBuckets(columns: number, runs: number): number {
  const wanted = columns / (runs > 20 ? 4 : 2);
  return Math.max(10, Math.min(5000, wanted < 50 ? Math.round(wanted) : Math.round(wanted / 25) * 25));
}
