import type { JSONPath } from 'jsonc-parser';
import { basename } from 'node:path';
import { formatJsonPath, type ImportedFile, type ImportMessage, type ImportReport } from '#shared/problems/import-report.ts';
import type { Problem } from '#shared/problems/problem.ts';
import { convertDatasetRecords, datasetFormatOf, type DatasetConversion, type DatasetFormat } from './dataset-records.ts';
import { untagNumbers } from './json-document.ts';
import { normalizeProblem, type NormalizedProblem, type RecordFinding } from './normalize-problem.ts';
import { locateInDocument, readProblemFile, type LocatedRecord, type SourceDocument } from './read-problem-file.ts';

export interface ImportSource {
  path: string;
  bytes: Uint8Array;
}

export interface ImportOptions {
  /** The set's name; else the wrapper's "name", else the first file's name without extension. */
  setName?: string;
  /** How many errors and warnings the report lists (the counts always cover all of them). */
  maxMessages?: number;
}

export interface ImportOutcome {
  report: Omit<ImportReport, 'dry_run'>;
  /** The problems, in file order; empty when any error was found (import is all or nothing). */
  problems: Problem[];
  description: string;
}

const DEFAULT_MAX_MESSAGES = 100;

/** A finding not yet located: positions are found once per document, at the end. */
interface PendingFinding {
  severity: ImportMessage['severity'];
  document: SourceDocument;
  path: JSONPath;
  message: string;
}

/** A record on its way to becoming a problem; seed records are normalized as soon as they are read. */
interface Candidate {
  record: Omit<LocatedRecord, 'value'>;
  file: ImportedFile;
  format: DatasetFormat;
  /** Seed records: the normalized result. */
  normalized?: NormalizedProblem;
  /** HumanEval/MBPP records: the raw value, until the batch conversion. */
  raw?: unknown;
}

const NOT_A_PROBLEM =
  'not a problem: expected "function_name" (seed format), "prompt"/"test"/"entry_point" (HumanEval) or "text"/"code"/"test_list" (MBPP)';

function setNameFromFile(path: string): string {
  return basename(path).replace(/(\.(jsonl|ndjson|json))?(\.gz)?$/i, '') || 'problems';
}

function pathText(path: JSONPath): string {
  return formatJsonPath(path.filter((p): p is string | number => typeof p !== 'symbol'));
}

/**
 * Reads, detects, converts and validates problem files, all or nothing: the outcome holds problems
 * only when no file has an error. Nothing here touches the store; callers save the outcome.
 */
export async function importProblemFiles(sources: ImportSource[], options: ImportOptions = {}): Promise<ImportOutcome> {
  const located: ImportMessage[] = [];
  const findings: PendingFinding[] = [];
  const files: ImportedFile[] = [];
  const candidates: Candidate[] = [];
  let wrapperName: string | undefined;
  let description = '';

  const note = (severity: PendingFinding['severity'], record: Omit<LocatedRecord, 'value'>, list: RecordFinding[]): void => {
    for (const f of list) findings.push({ severity, document: record.document, path: [...record.path, ...f.path], message: f.message });
  };

  for (const source of sources) {
    const file: ImportedFile = { file: source.path, format: 'unknown', problems: 0, test_pairs: 0, asserts_kept: 0, tests_skipped: 0 };
    const formats = new Set<DatasetFormat>();
    const [findingsBefore, candidatesBefore] = [findings.length, candidates.length];
    const read = readProblemFile(source.path, source.bytes, ({ value, path, document }) => {
      const record = { path, document };
      const format = datasetFormatOf(value);
      if (!format) return note('error', record, [{ path: [], message: NOT_A_PROBLEM }]);
      formats.add(format);
      if (format === 'seed') candidates.push({ record, file, format, normalized: normalizeProblem(value) });
      else candidates.push({ record, file, format, raw: untagNumbers(value) });
    });
    if (read.layout === 'json' && read.errors.length > 0) {
      // A file that cannot be read whole says only why: what its records would add is noise.
      findings.length = findingsBefore;
      candidates.length = candidatesBefore;
    }
    located.push(...read.errors, ...read.warnings);
    wrapperName ??= read.setName;
    description ||= read.setDescription ?? '';
    const [only] = formats;
    if (formats.size === 1) file.format = only === 'seed' ? (read.layout === 'jsonl' ? 'seed-jsonl' : 'seed-json') : only!;
    files.push(file);
  }

  const datasetRecords = candidates.flatMap((c) => (c.format === 'seed' ? [] : [{ format: c.format, value: c.raw }]));
  const conversions: DatasetConversion[] = await convertDatasetRecords(datasetRecords);
  const problems: Problem[] = [];
  const firstSeen = new Map<string, Candidate>();
  let conversionIndex = 0;
  for (const candidate of candidates) {
    const { record, file } = candidate;
    let normalized = candidate.normalized;
    if (candidate.format !== 'seed') {
      const conversion = conversions[conversionIndex++]!;
      if ('error' in conversion) {
        note('error', record, [{ path: [], message: conversion.error }]);
        continue;
      }
      // Datasets reuse function names across tasks ("add" twice in HumanEval): name by task.
      const converted = conversion.problem as { name?: string; source?: string };
      file.asserts_kept += conversion.assertsKept;
      file.tests_skipped += conversion.skipped.length;
      note('warning', record, conversion.skipped.map((s) => ({ path: [], message: `test skipped (${s.reason}): ${s.test}` })));
      // A converted problem's paths are not paths in the file: report them at the record.
      const result = normalizeProblem({ ...converted, name: converted.name ?? converted.source });
      const relocate = (list: RecordFinding[]) => list.map((f) => ({ path: [], message: `converted problem: ${pathText(f.path)}: ${f.message}` }));
      normalized = { ...result, errors: relocate(result.errors), warnings: relocate(result.warnings) };
    }
    note('error', record, normalized!.errors);
    note('warning', record, normalized!.warnings);
    const problem = normalized!.problem;
    if (!problem) continue;
    const name = problem.name ?? problem.function_name;
    const earlier = firstSeen.get(name);
    if (earlier) {
      const [at] = locateInDocument(earlier.record.document, [earlier.record.path]);
      const where = [earlier.record.document.file, at?.line, at?.column].filter((p) => p !== undefined).join(':');
      note('error', record, [
        { path: [], message: `duplicate problem name "${name}" (first defined at ${where}); names must be unique in a set (add a distinct "name" field)` },
      ]);
      continue;
    }
    firstSeen.set(name, candidate);
    file.problems++;
    file.test_pairs += problem.test_cases.length;
    problems.push(problem);
  }

  located.push(...locateFindings(findings));
  // Report in reading order: by file as given, then by position.
  const fileOrder = new Map(sources.map((s, i) => [s.path, i]));
  located.sort(
    (a, b) =>
      (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
  const errors = located.filter((m) => m.severity === 'error');
  const warnings = located.filter((m) => m.severity === 'warning');
  const max = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
  const ok = errors.length === 0 && problems.length > 0;
  return {
    report: {
      ok,
      set: (options.setName ?? wrapperName ?? setNameFromFile(sources[0]?.path ?? 'problems')).trim(),
      files,
      problems: ok
        ? problems.map((p) => ({ name: p.name ?? p.function_name, function_name: p.function_name, tests: p.test_cases.length + (p.assert_tests?.length ?? 0) }))
        : [],
      errors: errors.slice(0, max),
      warnings: warnings.slice(0, max),
      error_count: errors.length,
      warning_count: warnings.length,
    },
    problems: ok ? problems : [],
    description,
  };
}

/** Positions for every finding, parsing each document once (a 15 MB file must not be re-read per problem). */
function locateFindings(findings: PendingFinding[]): ImportMessage[] {
  const byDocument = new Map<SourceDocument, PendingFinding[]>();
  for (const finding of findings) {
    const list = byDocument.get(finding.document) ?? [];
    list.push(finding);
    byDocument.set(finding.document, list);
  }
  const messages: ImportMessage[] = [];
  for (const [document, list] of byDocument) {
    const positions = locateInDocument(document, list.map((f) => f.path));
    list.forEach((finding, i) => {
      const at = positions[i];
      const path = pathText(finding.path);
      messages.push({
        severity: finding.severity,
        file: document.file,
        ...(at ? { line: at.line, column: at.column } : {}),
        ...(path ? { path } : {}),
        message: finding.message,
      });
    });
  }
  return messages;
}
