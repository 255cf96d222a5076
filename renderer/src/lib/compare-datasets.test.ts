import { describe, expect, it } from 'vitest';
import type { ShownLine } from './compare-lines.ts';
import { compareDatasets, lineKey, matchingLines } from './compare-datasets.ts';

const line = (label: string, ids: number[], color = '#2f6fde'): ShownLine => ({
  label,
  color,
  kind: 'run',
  experiment_ids: ids,
  points: [{ x: 1, y: 2, raw: 3, lo: 1, hi: 4 }],
});
const none = { bands: true, raw: true, hidden: new Set<string>(), highlight: null };

describe('compareDatasets', () => {
  it('gives a run named "... raw" its own line, found by role and not by label', () => {
    const lines = [line('baseline', [1]), line('baseline raw', [2])];
    const shown = compareDatasets(lines, none).filter((d) => d.role === 'line');
    expect(shown.map((d) => d.label)).toEqual(['baseline', 'baseline raw']);
  });

  it('draws band edges, the raw mean and the line for each run, in that order', () => {
    expect(compareDatasets([line('a', [1])], none).map((d) => d.role)).toEqual(['low', 'band', 'raw', 'line']);
    expect(compareDatasets([line('a', [1])], { ...none, bands: false, raw: false }).map((d) => d.role)).toEqual(['line']);
  });

  it('hides every dataset of a hidden line and fades the others when one is highlighted', () => {
    const lines = [line('a', [1]), line('b', [2])];
    const sets = compareDatasets(lines, { ...none, hidden: new Set([lineKey(lines[0]!)]), highlight: lineKey(lines[1]!) });
    expect(sets.filter((d) => d.line === 0).every((d) => d.hidden)).toBe(true);
    const [a, b] = sets.filter((d) => d.role === 'line');
    expect(a!.borderColor).toBe('#2f6fde33');
    expect(b!.borderWidth).toBe(3);
    expect(b!.order).toBe(0);
  });
});

describe('matchingLines', () => {
  it('finds lines by any part of their label, ignoring case', () => {
    const lines = [line('lr 1e-4 seed 1', [1]), line('LR 3e-4 seed 2', [2]), line('dueling', [3])];
    expect(matchingLines(lines, 'lr ').map((l) => l.label)).toEqual(['lr 1e-4 seed 1', 'LR 3e-4 seed 2']);
    expect(matchingLines(lines, '  ')).toHaveLength(3);
  });
});
