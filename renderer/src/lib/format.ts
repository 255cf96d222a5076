/** Short human text for the experiment browser and dashboard. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)}%`;
}

export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(2);
  return Number(value.toFixed(digits)).toString();
}

/** ETA from a run's pace so far, for runs without a live progress event (e.g. after a reload). */
export function estimateEta(startedAt: string | null, episodesDone: number, episodesTotal: number, now = Date.now()): number | null {
  if (!startedAt || episodesDone <= 0 || episodesTotal <= episodesDone) return null;
  const elapsed = (now - Date.parse(startedAt)) / 1000;
  return (elapsed / episodesDone) * (episodesTotal - episodesDone);
}
