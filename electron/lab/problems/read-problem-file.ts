import type { JSONPath } from 'jsonc-parser';
import { basename } from 'node:path';
import type { ImportMessage } from '#shared/problems/import-report.ts';
import { JsonSyntaxError, locatePaths, parseJsonDocument, type SourcePosition } from './json-document.ts';
import { decodeSourceBytes } from './source-text.ts';

/** One record of a problem file (a problem in one of the formats) with what is needed to locate it. */
export interface LocatedRecord {
  value: unknown;
  /** Path of the record in its document, e.g. ['problems', 3]; [] for a JSONL line. */
  path: JSONPath;
  /** The document the record is in (the whole file, or one JSONL line). */
  document: SourceDocument;
}

export interface SourceDocument {
  file: string;
  text: string;
  /** Lines before the document's first line (non-zero for JSONL lines). */
  lineOffset: number;
}

/** Receives each record as soon as it is read; the reader keeps no reference to it. */
export type RecordHandler = (record: LocatedRecord) => void;

export interface ProblemFile {
  file: string;
  layout: 'json' | 'jsonl';
  recordCount: number;
  /** Set metadata from a `{ "name": ..., "problems": [...] }` wrapper. */
  setName?: string;
  setDescription?: string;
  errors: ImportMessage[];
  warnings: ImportMessage[];
}

const WRAPPER_KEYS = new Set(['problems', 'name', 'description']);

function error(file: string, message: string, at?: SourcePosition, path?: string): ImportMessage {
  return { severity: 'error', file, message, ...(at ? { line: at.line, column: at.column } : {}), ...(path ? { path } : {}) };
}

function isJsonLinesName(file: string): boolean {
  return /\.(jsonl|ndjson)(\.gz)?$/i.test(file);
}

/** Locates `paths` inside a document, shifting JSONL positions to their line in the file. */
export function locateInDocument(document: SourceDocument, paths: JSONPath[]): (SourcePosition | undefined)[] {
  return locatePaths(document.text, paths).map((at) => (at ? { line: at.line + document.lineOffset, column: at.column } : undefined));
}

function readJson(file: string, text: string, onRecord: RecordHandler): ProblemFile {
  const result: ProblemFile = { file, layout: 'json', recordCount: 0, errors: [], warnings: [] };
  const document: SourceDocument = { file, text, lineOffset: 0 };
  let root: unknown;
  try {
    root = parseJsonDocument(text, (value, key, index) => {
      if (key !== undefined && key !== 'problems') return false;
      result.recordCount++;
      onRecord({ value, path: key === undefined ? [index] : [key, index], document });
      return true;
    });
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    result.errors.push(error(file, e.detail, e.position));
    return result;
  }
  let prefix: JSONPath;
  if (Array.isArray(root)) {
    prefix = [];
  } else if (root !== null && typeof root === 'object' && Array.isArray((root as { problems?: unknown }).problems)) {
    const wrapper = root as Record<string, unknown>;
    prefix = ['problems'];
    if (typeof wrapper.name === 'string' && wrapper.name.trim()) result.setName = wrapper.name.trim();
    if (typeof wrapper.description === 'string') result.setDescription = wrapper.description;
    const unknown = Object.keys(wrapper).filter((key) => !WRAPPER_KEYS.has(key));
    const positions = locateInDocument(document, unknown.map((key) => [key]));
    unknown.forEach((key, i) =>
      result.warnings.push({ ...error(file, `unknown field "${key}" ignored`, positions[i], key), severity: 'warning' }),
    );
  } else if (root !== null && typeof root === 'object' && 'function_name' in root) {
    result.recordCount = 1;
    onRecord({ value: root, path: [], document });
    return result;
  } else {
    result.errors.push(
      error(file, 'expected an array of problems or an object { "problems": [...] }', { line: 1, column: 1 }),
    );
    return result;
  }
  if (result.recordCount === 0) {
    result.errors.push(error(file, 'the file holds no problems (the list is empty)', locateInDocument(document, [prefix])[0]));
    return result;
  }
  return result;
}

function readJsonLines(file: string, text: string, onRecord: RecordHandler): ProblemFile {
  const result: ProblemFile = { file, layout: 'jsonl', recordCount: 0, errors: [], warnings: [] };
  let start = 0;
  for (let lineIndex = 0; start <= text.length; lineIndex++) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (line.trim() === '') continue;
    try {
      const value = parseJsonDocument(line);
      result.recordCount++;
      onRecord({ value, path: [], document: { file, text: line, lineOffset: lineIndex } });
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      result.errors.push(error(file, e.detail, { line: lineIndex + 1, column: e.position.column }));
    }
  }
  if (result.recordCount === 0 && result.errors.length === 0) {
    result.errors.push(error(file, 'the file holds no problems (every line is blank)'));
  }
  return result;
}

/** Two lines that each start with '{': JSON Lines (a JSON document would need a ',' or '[' between). */
function looksLikeJsonLines(text: string): boolean {
  const lines = text.split('\n', 3).map((l) => l.trim());
  return lines.length >= 2 && lines[0]!.startsWith('{') && lines[0]!.endsWith('}') && lines[1]!.startsWith('{');
}

/**
 * Reads a problem file's bytes into located records. JSON Lines when the name says so (.jsonl,
 * .ndjson, also gzipped); JSON when it says .json; otherwise JSON, falling back to JSON Lines when
 * a second value follows the first.
 */
export function readProblemFile(path: string, bytes: Uint8Array, onRecord: RecordHandler): ProblemFile {
  const file = path;
  const empty: ProblemFile = { file, layout: 'json', recordCount: 0, errors: [], warnings: [] };
  const decoded = decodeSourceBytes(bytes);
  if (!decoded.ok) {
    const [, line, column, message] = /^(\d+):(\d+): (.*)$/.exec(decoded.message) ?? [];
    empty.errors.push(
      line ? error(file, message!, { line: Number(line), column: Number(column) }) : error(file, decoded.message),
    );
    return empty;
  }
  const text = decoded.text;
  if (text.trim() === '') {
    empty.errors.push(error(file, 'the file is empty'));
    return empty;
  }
  const name = basename(path);
  if (isJsonLinesName(name) || (!/\.json(\.gz)?$/i.test(name) && looksLikeJsonLines(text))) {
    return readJsonLines(file, text, onRecord);
  }
  return readJson(file, text, onRecord);
}
