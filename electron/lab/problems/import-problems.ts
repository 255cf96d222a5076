import type { JSONPath } from 'jsonc-parser';
import { basename } from 'node:path';
import {
  formatJsonPath,
  type ImportedFile,
  type ImportMessage,
  type ImportReport,
} from '#shared/problems/import-report.ts';
import type { Problem } from '#shared/problems/problem.ts';
import { convertDatasetRecords, datasetFormatOf, type DatasetFormat } from './dataset-records.ts';
import { normalizeProblem, type RecordFinding } from './normalize-problem.ts';
import { locateInDocument, readProblemFile, type LocatedRecord } from './read-problem-file.ts';

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

interface Pending {
  record: LocatedRecord;
  fileIndex: number;
  format: DatasetFormat;
}

function setNameFromFile(path: string): string {
  return basename(path).replace(/(\.(jsonl|ndjson|json))?(\.gz)?$/i, '') || 'problems';
}

/**
 * Reads, detects, converts and validates problem files, all or nothing: the outcome holds problems
 * only when no file has an error. Nothing here touches the store; callers save the outcome.
 */
export async function importProblemFiles(sources: ImportSource[], options: ImportOptions = {}): Promise<ImportOutcome> {
  const errors: ImportMessage[] = [];
  const warnings: ImportMessage[] = [];
  const files: ImportedFile[] = [];
  const pending: Pending[] = [];
  let wrapperName: string | undefined;
  let description = '';

  const report = (severity: ImportMessage['severity'], record: LocatedRecord, findings: RecordFinding[]): void => {
    if (findings.length === 0) return;
    const paths = findings.map((f) => [...record.path, ...f.path] as JSONPath);
    const positions = locateInDocument(record.document, paths);
    findings.forEach((finding, i) => {
      const at = positions[i];
      const path = formatJsonPath(paths[i]!.filter((p): p is string | number => typeof p !== 'symbol'));
      const line = record.document.lineOffset > 0 || record.path.length === 0 ? ` (line ${record.document.lineOffset + 1})` : '';
      (severity === 'error' ? errors : warnings).push({
        severity,
        file: record.document.file,
        ...(at ? { line: at.line, column: at.column } : {}),
        ...(path ? { path } : {}),
        message: at || !line ? finding.message : `${finding.message}${line}`,
      });
    });
  };

  sources.forEach((source, fileIndex) => {
    const read = readProblemFile(source.path, source.bytes);
    errors.push(...read.errors);
    warnings.push(...read.warnings);
    wrapperName ??= read.setName;
    if (read.setDescription) description ||= read.setDescription;
    const formats = new Set<DatasetFormat>();
    for (const record of read.records) {
      const format = datasetFormatOf(record.value);
      if (!format) {
        report('error', record, [
          {
            path: [],
            message:
              'not a problem: expected "function_name" (seed format), "prompt"/"test"/"entry_point" (HumanEval) or "text"/"code"/"test_list" (MBPP)',
          },
        ]);
        continue;
      }
      formats.add(format);
      pending.push({ record, fileIndex, format });
    }
    const [only] = formats;
    const format: ImportedFile['format'] =
      formats.size !== 1 ? 'unknown' : only === 'seed' ? (read.layout === 'jsonl' ? 'seed-jsonl' : 'seed-json') : only!;
    files.push({ file: source.path, format, problems: 0, test_pairs: 0, asserts_kept: 0, tests_skipped: 0 });
  });

  const converted = await convertDatasetRecords(
    pending.flatMap((p) => (p.format === 'seed' ? [] : [{ format: p.format, value: p.record.value }])),
  );
  const problems: Problem[] = [];
  const firstSeen = new Map<string, ImportMessage>();
  let convertedIndex = 0;
  for (const item of pending) {
    let candidate: unknown = item.record.value;
    const file = files[item.fileIndex]!;
    if (item.format !== 'seed') {
      const conversion = converted[convertedIndex++]!;
      if ('error' in conversion) {
        report('error', item.record, [{ path: [], message: conversion.error }]);
        continue;
      }
      // Datasets reuse function names across tasks ("add" twice in HumanEval): name by task.
      const problem = conversion.problem as { name?: string; source?: string };
      candidate = { ...problem, name: problem.name ?? problem.source };
      file.asserts_kept += conversion.assertsKept;
      file.tests_skipped += conversion.skipped.length;
      report(
        'warning',
        item.record,
        conversion.skipped.map((s) => ({ path: [], message: `test skipped (${s.reason}): ${s.test}` })),
      );
    }
    const normalized = normalizeProblem(candidate);
    report('error', item.record, item.format === 'seed' ? normalized.errors : normalized.errors.map((e) => ({ path: [], message: `converted problem: ${formatJsonPath(e.path.filter((p): p is string | number => typeof p !== 'symbol'))}: ${e.message}` })));
    report('warning', item.record, normalized.warnings);
    const problem = normalized.problem;
    if (!problem) continue;
    const name = problem.name ?? problem.function_name;
    const here: ImportMessage = { severity: 'error', file: item.record.document.file, message: '' };
    const [at] = locateInDocument(item.record.document, [item.record.path]);
    if (at) Object.assign(here, { line: at.line, column: at.column });
    const earlier = firstSeen.get(name);
    if (earlier) {
      const where = [earlier.file, earlier.line, earlier.column].filter((p) => p !== undefined).join(':');
      errors.push({
        ...here,
        path: formatJsonPath([...item.record.path].filter((p): p is string | number => typeof p !== 'symbol')) || undefined,
        message: `duplicate problem name "${name}" (first defined at ${where}); names must be unique in a set (add a distinct "name" field)`,
      } as ImportMessage);
      continue;
    }
    firstSeen.set(name, here);
    file.problems++;
    file.test_pairs += problem.test_cases.length;
    problems.push(problem);
  }

  const setName = (options.setName ?? wrapperName ?? setNameFromFile(sources[0]?.path ?? 'problems')).trim();
  const max = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
  const ok = errors.length === 0 && problems.length > 0;
  return {
    report: {
      ok,
      set: setName,
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
