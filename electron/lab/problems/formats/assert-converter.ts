import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { problemSchema, type Problem } from '#shared/problems/problem.ts';
import { RESOURCES_DIR } from '#lab/paths.ts';
import { resolvePython } from '#lab/python/interpreter.ts';
import { humanEvalRecordSchema } from './humaneval.ts';
import { mbppRecordSchema } from './mbpp.ts';

export { isHumanEvalRecord } from './humaneval.ts';
export { isMbppRecord } from './mbpp.ts';

/** The converter: parses test code with Python's `ast`, never runs it. */
export const CONVERTER_SCRIPT = join(RESOURCES_DIR, 'python', 'convert_tests.py');

export type AssertRecordFormat = 'humaneval' | 'mbpp';

/** A raw dataset record (parsed JSON, not yet validated) and the format it was detected as. */
export interface AssertRecord {
  format: AssertRecordFormat;
  record: unknown;
}

const skippedTestSchema = z.strictObject({
  /** The test's source text. */
  test: z.string(),
  /** Why it is neither a pair nor a kept assert (e.g. "always true: asserts a constant"). */
  reason: z.string(),
});
export type SkippedTest = z.infer<typeof skippedTestSchema>;

const statsSchema = z.strictObject({
  /** Tests that became `[input, expected]` pairs (an unrolled loop or an `and` gives several). */
  pairs: z.number().int().min(0),
  /** Tests kept as assert-style snippets in `assert_tests`. */
  asserts_kept: z.number().int().min(0),
  skipped: z.array(skippedTestSchema),
});
export type ConversionStats = z.infer<typeof statsSchema>;

export type ConversionResult = { problem: Problem; stats: ConversionStats } | { error: string };

const outputLineSchema = z.union([
  z.strictObject({ index: z.number().int(), problem: z.unknown(), stats: statsSchema }),
  z.strictObject({ index: z.number().int(), error: z.string() }),
]);

const recordSchemas = { humaneval: humanEvalRecordSchema, mbpp: mbppRecordSchema } as const;
const formatNames = { humaneval: 'HumanEval', mbpp: 'MBPP' } as const;

export interface ConvertOptions {
  /** The Python interpreter to use; default: LAB_PYTHON, else python3 (see resolvePython). */
  python?: string;
}

/**
 * Converts HumanEval/MBPP records to problems with one Python process for the whole batch: records
 * stream in as JSONL on stdin, results stream back in order. A record that is malformed or cannot
 * be converted gets an `{ error }` result; only a missing or failing Python rejects the promise.
 */
export async function convertAssertRecords(records: AssertRecord[], options: ConvertOptions = {}): Promise<ConversionResult[]> {
  const results: (ConversionResult | undefined)[] = records.map(() => undefined);
  const lines: string[] = [];
  records.forEach(({ format, record }, index) => {
    const parsed = recordSchemas[format].safeParse(record);
    if (parsed.success) lines.push(JSON.stringify({ ...parsed.data, index, format }) + '\n');
    else results[index] = { error: `not a valid ${formatNames[format]} record: ${describeIssues(parsed.error)}` };
  });
  if (lines.length > 0) {
    for (const line of await runConverter(lines, options)) {
      results[line.index] = toResult(line);
    }
  }
  return results.map((result, index) => {
    if (!result) throw new Error(`the test converter returned no result for record ${index}`);
    return result;
  });
}

function toResult(line: z.infer<typeof outputLineSchema>): ConversionResult {
  if ('error' in line) return { error: line.error };
  const problem = problemSchema.safeParse(line.problem);
  if (!problem.success) return { error: `the test converter produced an invalid problem: ${describeIssues(problem.error)}` };
  return { problem: problem.data, stats: line.stats };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '<record>'}: ${issue.message}`).join('; ');
}

async function runConverter(lines: string[], options: ConvertOptions): Promise<z.infer<typeof outputLineSchema>[]> {
  let python: string;
  try {
    python = resolvePython(options.python).path;
  } catch (error) {
    throw new Error(`converting HumanEval/MBPP tests needs Python: ${(error as Error).message}`);
  }
  const child = spawn(python, ['-I', CONVERTER_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
  let spawnError: Error | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => resolve(code));
    child.once('error', (error) => {
      spawnError = error;
      resolve(null);
    });
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000); // the tail holds the traceback's last line
  });
  // A converter that dies mid-batch closes stdin early; its exit status reports that, not EPIPE.
  child.stdin.on('error', () => {});

  const collect = (async () => {
    const out: z.infer<typeof outputLineSchema>[] = [];
    for await (const text of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        throw new Error(`the test converter wrote a line that is not JSON: ${text.slice(0, 200)}`);
      }
      const line = outputLineSchema.safeParse(raw);
      if (!line.success) throw new Error(`the test converter wrote an unexpected result: ${describeIssues(line.error)}`);
      out.push(line.data);
    }
    return out;
  })();
  const feed = (async () => {
    for (const line of lines) {
      if (child.stdin.destroyed) break;
      if (!child.stdin.write(line)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            child.stdin.off('drain', done).off('close', done);
            resolve();
          };
          child.stdin.on('drain', done).on('close', done);
        });
      }
    }
    child.stdin.end();
  })();

  try {
    const [out] = await Promise.all([collect, feed]);
    const code = await exited;
    if (spawnError) throw new Error(`cannot start the test converter (${python} ${CONVERTER_SCRIPT}): ${spawnError.message}`);
    if (code !== 0) {
      throw new Error(`the test converter failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' | ') || 'no message'}`);
    }
    if (out.length !== lines.length) throw new Error(`the test converter answered ${out.length} of ${lines.length} records`);
    return out;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
