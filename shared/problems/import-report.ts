import { z } from 'zod';

/** One thing the importer has to say about a file, located as precisely as it can be. */
export const importMessageSchema = z.object({
  severity: z.enum(['error', 'warning']),
  file: z.string(),
  /** 1-based line and column, when the message is about a place in the file. */
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  /** JSON path of the value concerned, e.g. `problems[3].test_cases[1]`. */
  path: z.string().optional(),
  message: z.string(),
});
export type ImportMessage = z.infer<typeof importMessageSchema>;

export const importedFileSchema = z.object({
  file: z.string(),
  format: z.enum(['seed-json', 'seed-jsonl', 'humaneval', 'mbpp', 'unknown']),
  problems: z.number().int(),
  /** Tests that became `[input, expected]` pairs. */
  test_pairs: z.number().int(),
  /** HumanEval/MBPP asserts kept as Python assert tests. */
  asserts_kept: z.number().int(),
  /** HumanEval/MBPP asserts that became neither, each reported as a warning. */
  tests_skipped: z.number().int(),
});

export const importReportSchema = z.object({
  /** True when the problems were (or, with dry_run, would be) stored. */
  ok: z.boolean(),
  dry_run: z.boolean(),
  set: z.string(),
  set_id: z.number().int().optional(),
  files: z.array(importedFileSchema),
  problems: z.array(z.object({ name: z.string(), function_name: z.string(), tests: z.number().int() })),
  /** The first errors and warnings; the counts say how many there were in all. */
  errors: z.array(importMessageSchema),
  warnings: z.array(importMessageSchema),
  error_count: z.number().int(),
  warning_count: z.number().int(),
});
export type ImportReport = z.infer<typeof importReportSchema>;
export type ImportedFile = z.infer<typeof importedFileSchema>;

/** `file:line:column: path: message`, the form editors and terminals link to. */
export function formatImportMessage(m: ImportMessage): string {
  const where = [m.file, m.line, m.line !== undefined ? m.column : undefined].filter((p) => p !== undefined).join(':');
  return `${where}: ${m.severity === 'warning' ? 'warning: ' : ''}${m.path ? `${m.path}: ` : ''}${m.message}`;
}

/** `problems[3].test_cases[1]` from ['problems', 3, 'test_cases', 1]. */
export function formatJsonPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}
