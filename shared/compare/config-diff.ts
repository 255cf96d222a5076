/**
 * The hyperparameter diff of the compare view: configs flattened to dotted keys, only the keys
 * whose values differ between runs, each value against a baseline run.
 */

export type FlatConfig = Record<string, unknown>;

/** `{agent: {gamma: 0.9}}` -> `{'agent.gamma': 0.9}`; arrays stay whole values. */
export function flattenConfig(value: unknown, prefix = ''): FlatConfig {
  const out: FlatConfig = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    if (prefix) out[prefix] = value;
    return out;
  }
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    Object.assign(out, flattenConfig(inner, prefix ? `${prefix}.${key}` : key));
  }
  return out;
}

export type DeltaDirection = 'baseline' | 'same' | 'up' | 'down' | 'changed' | 'missing';

export interface DiffCell {
  value: unknown;
  direction: DeltaDirection;
  /** value - baseline, for numbers. */
  delta: number | null;
  /** value / baseline, for positive numbers (learning rates differ by factors). */
  ratio: number | null;
}

export interface DiffRow {
  key: string;
  cells: DiffCell[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Rows for the keys that differ between any two runs, in key order; cells follow `runs`' order. */
export function configDiff(runs: readonly FlatConfig[], baselineIndex: number): DiffRow[] {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r)))].sort();
  const base = runs[baselineIndex] ?? runs[0] ?? {};
  return keys
    .filter((key) => runs.some((r) => !same(r[key], runs[0]?.[key])) || runs.some((r) => !(key in r)))
    .map((key) => ({
      key,
      cells: runs.map((run, i): DiffCell => {
        const value = run[key];
        const b = base[key];
        if (i === baselineIndex) return { value, direction: 'baseline', delta: null, ratio: null };
        if (!(key in run)) return { value: undefined, direction: 'missing', delta: null, ratio: null };
        if (same(value, b)) return { value, direction: 'same', delta: null, ratio: null };
        if (typeof value === 'number' && typeof b === 'number') {
          return { value, direction: value > b ? 'up' : 'down', delta: value - b, ratio: b > 0 && value > 0 ? value / b : null };
        }
        return { value, direction: 'changed', delta: null, ratio: null };
      }),
    }));
}

/** What makes runs "the same but for the seed": everything in the config except training.seed. */
export function seedGroupKey(config: unknown, extra: readonly unknown[] = []): string {
  const flat = flattenConfig(config);
  delete flat['training.seed'];
  return JSON.stringify([...extra, Object.entries(flat).sort(([a], [b]) => a.localeCompare(b))]);
}
