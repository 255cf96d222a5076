import { isMap, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { trainingConfigSchema, type TrainingConfig } from './training-config.ts';

/** A finding about a config, with the key path and, for YAML text, where it is. */
export interface ConfigFinding {
  severity: 'error' | 'warning';
  path: string;
  line?: number;
  column?: number;
  message: string;
}

export interface ParsedConfig {
  config?: TrainingConfig;
  findings: ConfigFinding[];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
  return inner instanceof z.ZodObject ? (inner.shape as Record<string, z.ZodType>) : undefined;
}

/**
 * Unknown keys are dropped with a finding: an error when the key is a likely typo of a known one
 * (`learning_rat`), else a warning, so configs written for other tools still load.
 */
function dropUnknownKeys(raw: unknown, schema: z.ZodType, path: string[], findings: Omit<ConfigFinding, 'line' | 'column'>[], keyPaths: string[][]): unknown {
  const shape = shapeOf(schema);
  if (!shape || raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const known = shape[key];
    if (known) {
      out[key] = dropUnknownKeys(value, known, [...path, key], findings, keyPaths);
      continue;
    }
    const near = Object.keys(shape).find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= Math.max(1, Math.floor(k.length / 5)));
    findings.push({
      severity: near ? 'error' : 'warning',
      path: [...path, key].join('.'),
      message: near ? `unknown key "${key}": did you mean "${near}"?` : `unknown key "${key}" ignored`,
    });
    keyPaths.push([...path, key]);
  }
  return out;
}

/** Validates an already parsed config object (from YAML, JSON or the editor's form). */
export function parseConfigObject(raw: unknown): ParsedConfig {
  const findings: ConfigFinding[] = [];
  const cleaned = dropUnknownKeys(raw ?? {}, trainingConfigSchema, [], findings, []);
  const parsed = trainingConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      findings.push({ severity: 'error', path: issue.path.map(String).join('.'), message: issue.message });
    }
  }
  const ok = parsed.success && !findings.some((f) => f.severity === 'error');
  return ok ? { config: parsed.data, findings } : { findings };
}

type Document = ReturnType<typeof parseDocument>;

/**
 * Where a finding points: the key itself for an unknown key (that is what is wrong), else the
 * value; a path that does not exist points at its nearest existing parent.
 */
function nodeRange(doc: Document, path: (string | number)[], atKey: boolean): [number, number, number] | undefined {
  if (atKey && path.length > 0) {
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
    if (isMap(parent)) {
      const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === path.at(-1));
      const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
      if (range) return range;
    }
  }
  for (let shorter = path; ; shorter = shorter.slice(0, -1)) {
    const node = shorter.length ? doc.getIn(shorter, true) : doc.contents;
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range || shorter.length === 0) return range;
  }
}

/** Parses and validates config YAML; findings carry line and column. */
export function parseConfigYaml(text: string): ParsedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      findings: doc.errors.map((e) => {
        const at = lineCounter.linePos(e.pos[0]);
        return { severity: 'error', path: '', line: at.line, column: at.col, message: e.message.split('\n')[0]! };
      }),
    };
  }
  const raw: unknown = doc.contents === null ? {} : doc.toJS();
  if (doc.contents !== null && !isMap(doc.contents)) {
    return { findings: [{ severity: 'error', path: '', line: 1, column: 1, message: 'expected a mapping of config sections' }] };
  }
  const result = parseConfigObject(raw);
  for (const finding of result.findings) {
    const keyPath = finding.path ? finding.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [];
    const range = nodeRange(doc, keyPath, finding.message.startsWith('unknown key'));
    if (range) {
      const at = lineCounter.linePos(range[0]);
      finding.line = at.line;
      finding.column = at.col;
    }
  }
  return result;
}
