/** CSV as spreadsheets read it: fields with commas, quotes or newlines quoted, quotes doubled. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvTable(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return `${[header, ...rows].map((row) => row.map(csvField).join(',')).join('\n')}\n`;
}

export interface LongMetricRow {
  experiment_id: number;
  experiment: string;
  name: string;
  step: number;
  episode: number;
  wall_time: number;
  value: number;
}

/** Every metric point of several runs, one row each (long format: any tool can pivot it). */
export function metricsLongCsv(rows: readonly LongMetricRow[]): string {
  return csvTable(
    ['experiment_id', 'experiment', 'metric', 'step', 'episode', 'wall_time', 'value'],
    rows.map((r) => [r.experiment_id, r.experiment, r.name, r.step, r.episode, r.wall_time, r.value]),
  );
}
