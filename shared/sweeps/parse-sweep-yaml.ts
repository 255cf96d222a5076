import { isMap, LineCounter, parseDocument } from 'yaml';
import type { ConfigFinding } from '../config/parse-config-yaml.ts';
import { sweepSpecSchema, type SweepSpec } from './sweep-spec.ts';

export interface ParsedSweep {
  spec?: SweepSpec;
  findings: ConfigFinding[];
  /** Line and column of a finding's path in the sweep file (`parameters.agent.learning_rate`, `base.agent.gamma`). */
  locate(path: string): { line: number; column: number } | undefined;
}

/** A finding's path as YAML keys: a parameter's name is one key although it holds dots. */
function keysOf(path: string): (string | number)[] {
  if (path === '') return [];
  const parameter = /^parameters\.([a-z_]+(?:\.[a-z_]+)+)(?:\.(.*))?$/.exec(path);
  if (parameter) return ['parameters', parameter[1]!, ...(parameter[2] ? parameter[2].split('.') : [])];
  return path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** Parses and validates a sweep file's YAML; every finding carries its line and column. */
export function parseSweepYaml(text: string): ParsedSweep {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const locate = (path: string) => {
    for (let keys = keysOf(path); ; keys = keys.slice(0, -1)) {
      const node = keys.length ? doc.getIn(keys, true) : doc.contents;
      const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
      if (range) {
        const at = lineCounter.linePos(range[0]);
        return { line: at.line, column: at.col };
      }
      if (keys.length === 0) return undefined;
    }
  };
  if (doc.errors.length > 0) {
    const findings = doc.errors.map((e): ConfigFinding => {
      const at = lineCounter.linePos(e.pos[0]);
      return { severity: 'error', path: '', line: at.line, column: at.col, message: e.message.split('\n')[0]! };
    });
    return { findings, locate };
  }
  if (!isMap(doc.contents)) return { findings: [{ severity: 'error', path: '', line: 1, column: 1, message: 'expected a mapping with name, problems, method and parameters' }], locate };
  const parsed = sweepSpecSchema.safeParse(doc.toJS());
  if (parsed.success) return { spec: parsed.data, findings: [], locate };
  const findings = parsed.error.issues.map((issue): ConfigFinding => {
    const path = issue.path.map(String).join('.');
    return { severity: 'error', path, ...locate(path), message: issue.message };
  });
  return { findings, locate };
}

/** `file:line:column: path: message`, the form every refused input is reported in. */
export function formatFinding(file: string, f: ConfigFinding): string {
  const place = f.line !== undefined ? `${file}:${f.line}:${f.column}` : file;
  return `${place}: ${f.severity === 'warning' ? 'warning: ' : ''}${f.path ? `${f.path}: ` : ''}${f.message}`;
}
