import type { ShownLine } from './compare-lines.ts';

/** What a dataset draws: a line's band edges, its faint raw mean, or the line itself. */
export type DatasetRole = 'low' | 'band' | 'raw' | 'line';

export interface CompareDataset {
  label: string;
  role: DatasetRole;
  /** The line (index into the lines given) this dataset belongs to. */
  line: number;
  data: { x: number; y: number }[];
  borderColor?: string;
  backgroundColor?: string;
  borderWidth: number;
  pointRadius: number;
  pointHoverRadius?: number;
  fill?: boolean | string;
  hidden: boolean;
  order: number;
}

export interface DatasetOptions {
  /** Draw the min-max band of each run (or the spread of each group). */
  bands: boolean;
  /** Draw the faint unsmoothed mean under a smoothed line. */
  raw: boolean;
  /** Keys of lines the legend hides. */
  hidden: ReadonlySet<string>;
  /** Key of the line the pointer is on: drawn on top, the others faded. */
  highlight: string | null;
}

/** A line's identity across requests: its runs. */
export const lineKey = (line: Pick<ShownLine, 'experiment_ids'>) => line.experiment_ids.join(',');

/**
 * The Chart.js datasets of compared lines. The role rides on each dataset, so the legend and the
 * tooltip pick lines by role, never by label text (a run may be named "baseline raw").
 */
export function compareDatasets(lines: readonly ShownLine[], options: DatasetOptions): CompareDataset[] {
  return lines.flatMap((line, i): CompareDataset[] => {
    const key = lineKey(line);
    const hidden = options.hidden.has(key);
    const faded = options.highlight !== null && options.highlight !== key;
    const lit = options.highlight === key;
    const color = faded ? `${line.color}33` : line.color;
    const out: CompareDataset[] = [];
    if (options.bands) {
      out.push(
        { label: line.label, role: 'low', line: i, data: line.points.map((p) => ({ x: p.x, y: p.lo })), borderWidth: 0, pointRadius: 0, pointHoverRadius: 0, fill: false, hidden, order: 3 },
        { label: line.label, role: 'band', line: i, data: line.points.map((p) => ({ x: p.x, y: p.hi })), borderWidth: 0, pointRadius: 0, pointHoverRadius: 0, fill: '-1', backgroundColor: `${line.color}${faded ? '0d' : '26'}`, hidden, order: 3 },
      );
    }
    if (options.raw && line.points.some((p) => p.raw !== null)) {
      out.push({ label: line.label, role: 'raw', line: i, data: line.points.filter((p) => p.raw !== null).map((p) => ({ x: p.x, y: p.raw! })), borderColor: `${line.color}${faded ? '1a' : '55'}`, borderWidth: 1, pointRadius: 0, pointHoverRadius: 0, hidden, order: 2 });
    }
    out.push({ label: line.label, role: 'line', line: i, data: line.points.map((p) => ({ x: p.x, y: p.y })), borderColor: color, backgroundColor: color, borderWidth: lit ? 3 : 1.6, pointRadius: 0, hidden, order: lit ? 0 : 1 });
    return out;
  });
}

/** Legend rows: the lines whose label contains the search text (any case), in their order. */
export function matchingLines(lines: readonly ShownLine[], search: string): ShownLine[] {
  const needle = search.trim().toLowerCase();
  return needle ? lines.filter((l) => l.label.toLowerCase().includes(needle)) : [...lines];
}
