import { convertAssertRecords, isHumanEvalRecord, isMbppRecord } from './formats/assert-converter.ts';

/** The record formats a problem file may hold; files may not mix them. */
export type DatasetFormat = 'seed' | 'humaneval' | 'mbpp';

export function datasetFormatOf(value: unknown): DatasetFormat | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if ('function_name' in value) return 'seed';
  if (isHumanEvalRecord(value)) return 'humaneval';
  if (isMbppRecord(value)) return 'mbpp';
  return undefined;
}

export type DatasetConversion =
  | { problem: unknown; assertsKept: number; skipped: { test: string; reason: string }[] }
  | { error: string };

/**
 * HumanEval and MBPP records become problems of ours by parsing their asserts with Python's own
 * `ast` (resources/python/convert_tests.py): one converter process for the whole batch.
 */
export async function convertDatasetRecords(
  records: { format: Exclude<DatasetFormat, 'seed'>; value: unknown }[],
): Promise<DatasetConversion[]> {
  if (records.length === 0) return [];
  const results = await convertAssertRecords(records.map((r) => ({ format: r.format, record: r.value })));
  return results.map((result) =>
    'error' in result
      ? { error: result.error }
      : { problem: result.problem, assertsKept: result.stats.asserts_kept, skipped: result.stats.skipped },
  );
}
