/**
 * The best greedy success rate a run has reached, from every place that knows it: the stored row
 * (updated by the trainer's progress reports, but read once per status change), the latest live
 * progress event, and the `charts/greedy_success_rate` points themselves. The chart is the ground
 * truth a person sees, so the headline never says "–" while the chart shows a value.
 */
export function bestGreedyRate(stored: number | null | undefined, live: number | null | undefined, chart: readonly { y: number }[] | undefined): number | null {
  let best: number | null = null;
  const see = (v: number | null | undefined) => {
    if (v !== null && v !== undefined && Number.isFinite(v) && (best === null || v > best)) best = v;
  };
  see(stored);
  see(live);
  for (const point of chart ?? []) see(point.y);
  return best;
}
