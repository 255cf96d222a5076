import type { TrainerProgress } from '#shared/training/trainer-events.ts';

function clock(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

/** One terminal line: a bar, episodes, ETA and the numbers a person watches while a run trains. */
export function progressLine(p: TrainerProgress, width = 24): string {
  const fraction = p.episodes_total > 0 ? Math.min(1, p.episode / p.episodes_total) : 0;
  const filled = Math.round(fraction * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const greedy = p.greedy_success_rate === null ? '' : ` greedy ${(p.greedy_success_rate * 100).toFixed(0)}%`;
  return (
    `${bar} ${p.episode}/${p.episodes_total} ${(fraction * 100).toFixed(0)}% ` +
    `eta ${clock(p.eta_seconds)} | return ${p.mean_return.toFixed(2)} success ${(p.success_rate * 100).toFixed(0)}%${greedy} ` +
    `eps ${p.epsilon.toFixed(3)} | ${p.steps_per_second.toFixed(0)} steps/s ${p.samples_executed} runs`
  );
}
