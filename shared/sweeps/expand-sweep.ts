import { parseConfigObject, type ConfigFinding } from '../config/parse-config-yaml.ts';
import { MAX_SWEEP_RUNS, type SweepParameter, type SweepSpec } from './sweep-spec.ts';

export type ParameterValue = number | string | boolean;

/** One run of a sweep: the values it sets and the whole config it trains with. */
export interface SweepRunPlan {
  params: Record<string, ParameterValue>;
  config: Record<string, unknown>;
  seed: number;
}

export interface SweepExpansion {
  runs: SweepRunPlan[];
  /** Paths are `base.<key>` for the base config, `parameters.<name>` for a swept value. */
  findings: ConfigFinding[];
}

/** Runs without a seed in their config or parameters train with this one, on every worker alike. */
export const DEFAULT_RUN_SEED = 1;

/** mulberry32: a tiny seeded generator, so a random sweep file always expands into the same runs. */
function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function draw(p: SweepParameter, random: () => number): ParameterValue {
  if ('value' in p) return p.value;
  if ('values' in p) return p.values[Math.floor(random() * p.values.length)]!;
  if (p.distribution === 'int_uniform') return Math.ceil(p.min) + Math.floor(random() * (Math.floor(p.max) - Math.ceil(p.min) + 1));
  if (p.distribution === 'log_uniform') return Math.exp(Math.log(p.min) + random() * (Math.log(p.max) - Math.log(p.min)));
  return p.min + random() * (p.max - p.min);
}

function grid(parameters: [string, SweepParameter][]): Record<string, ParameterValue>[] {
  let points: Record<string, ParameterValue>[] = [{}];
  for (const [name, p] of parameters) {
    const values = 'values' in p ? p.values : 'value' in p ? [p.value] : [];
    points = points.flatMap((point) => values.map((v) => ({ ...point, [name]: v })));
    if (points.length > MAX_SWEEP_RUNS) return points;
  }
  return points;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node = node[key] = next !== null && typeof next === 'object' && !Array.isArray(next) ? { ...(next as object) } : {};
  }
  node[keys.at(-1)!] = value;
}

/**
 * Expands a sweep into its runs. Each run's config is the base with the run's values set, checked
 * with the training config's schema; a value the schema refuses is reported once, at its parameter.
 * Identical configs (a random sweep may draw one twice) become one run.
 */
export function expandSweep(spec: SweepSpec, base: Record<string, unknown>): SweepExpansion {
  const findings: ConfigFinding[] = [];
  const baseCheck = parseConfigObject(base);
  for (const f of baseCheck.findings) findings.push({ ...f, path: `base.${f.path}` });
  if (!baseCheck.config) return { runs: [], findings };

  const parameters = Object.entries(spec.parameters);
  const random = seededRandom(spec.seed);
  const points = spec.method === 'grid' ? grid(parameters) : Array.from({ length: spec.count ?? 1 }, () => Object.fromEntries(parameters.map(([n, p]) => [n, draw(p, random)])));
  if (points.length > MAX_SWEEP_RUNS) {
    return { runs: [], findings: [{ severity: 'error', path: 'parameters', message: `the grid has more than ${MAX_SWEEP_RUNS} runs` }] };
  }

  const runs: SweepRunPlan[] = [];
  const seen = new Set<string>();
  const reported = new Set<string>();
  for (const params of points) {
    const raw = structuredClone(base);
    for (const [name, value] of Object.entries(params)) setPath(raw, name, value);
    const checked = parseConfigObject(raw);
    for (const f of checked.findings) {
      const parameter = Object.keys(params).find((name) => f.path === name || f.path.startsWith(`${name}.`) || name.startsWith(`${f.path}.`));
      const path = parameter ? `parameters.${parameter}` : `base.${f.path}`;
      const key = `${path}: ${f.message}`;
      if (f.severity === 'error' && !reported.has(key)) {
        reported.add(key);
        findings.push({ ...f, path, message: parameter ? `${f.path} = ${JSON.stringify(params[parameter])}: ${f.message}` : f.message });
      }
    }
    if (!checked.config) continue;
    const config = checked.config as unknown as Record<string, unknown> & { training: { seed?: number } };
    config.training.seed ??= DEFAULT_RUN_SEED;
    const key = JSON.stringify(config);
    if (seen.has(key)) continue;
    seen.add(key);
    runs.push({ params, config, seed: config.training.seed });
  }
  return { runs: findings.some((f) => f.severity === 'error') ? [] : runs, findings };
}
