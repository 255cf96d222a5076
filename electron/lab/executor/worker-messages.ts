import { z } from 'zod';

/**
 * Frames a worker writes on its protocol fd (resources/python/harness.py documents them). They are
 * parsed here, at the boundary, like any other untrusted input: a forked sample can write anything
 * its harness parent forwards, and the parent only checks the shape.
 */
const failedVerdict = z.enum(['wrong_answer', 'runtime_error', 'wrong_arity', 'unserializable', 'output_limit', 'memory_limit']);

export const testFrameSchema = z.object({
  seq: z.number().int(),
  type: z.literal('test'),
  s: z.number().int().min(0),
  i: z.number().int().min(0),
  ok: z.boolean(),
  value: z.unknown().optional(),
  verdict: failedVerdict.optional(),
  exc: z.string().optional(),
  msg: z.string().optional(),
  ms: z.number().optional(),
});

export const sampleFrameSchema = z.object({
  seq: z.number().int(),
  type: z.literal('sample'),
  s: z.number().int().min(0),
  mode: z.enum(['inproc', 'fork', 'refused']),
  /** Set when the sample ended early: tests from `from` on get this verdict. */
  verdict: z.enum(['compile_error', 'missing_entry_point', 'memory_limit', 'crash', 'timeout', 'refused']).optional(),
  from: z.number().int().min(0).optional(),
  stage: z.enum(['compile', 'load']).optional(),
  exc: z.string().optional(),
  msg: z.string().optional(),
  line: z.number().int().nullable().optional(),
  out: z.string().optional(),
  outBytes: z.number().int().optional(),
});

export const readyFrameSchema = z.object({ type: z.literal('ready'), pid: z.number().int(), python: z.string() });
export const resultFrameSchema = z.object({ seq: z.number().int(), result: z.object({ poisoned: z.boolean() }) });
export const errorFrameSchema = z.object({
  seq: z.number().int().nullable(),
  error: z.object({ name: z.string(), message: z.string() }),
});

export type TestFrame = z.infer<typeof testFrameSchema>;
export type SampleFrame = z.infer<typeof sampleFrameSchema>;
export type WorkerFrame =
  | TestFrame
  | SampleFrame
  | z.infer<typeof readyFrameSchema>
  | z.infer<typeof resultFrameSchema>
  | z.infer<typeof errorFrameSchema>;

/** Parses one line from a worker; throws with the failing path when the frame is malformed. */
export function parseWorkerFrame(line: string): WorkerFrame {
  const raw: unknown = JSON.parse(line);
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  const schema =
    type === 'test' ? testFrameSchema
    : type === 'sample' ? sampleFrameSchema
    : type === 'ready' ? readyFrameSchema
    : raw !== null && typeof raw === 'object' && 'result' in raw ? resultFrameSchema
    : errorFrameSchema;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`malformed worker frame at ${issue.path.join('.') || '<frame>'}: ${issue.message}`);
  }
  return parsed.data;
}

/** One sample as sent to the worker. */
export interface SampleRequest {
  code: string;
  fn: string;
  tests: unknown[][];
  /** Assert-style snippets, run after `tests` as tests `tests.length` on (their frames continue the numbering). */
  asserts?: string[];
  /** Always fork (isolated tier, or assert tests), whatever the screen says. */
  isolate: boolean;
  /** CPU-seconds limit for a forked sample (a backstop to Node's wall clock). */
  cpu: number;
}
