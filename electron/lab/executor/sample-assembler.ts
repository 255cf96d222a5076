import type { Sample, Tier } from '#shared/executor/sample.ts';
import type { SampleResult, TestResult, Verdict } from '#shared/executor/verdict.ts';
import type { PyValue } from '#shared/values/py-value.ts';
import { DEFAULT_TOLERANCE, pyEquals, type FloatTolerance } from '#shared/values/python-equality.ts';
import { decodeTagged } from '#shared/values/tagged-json.ts';
import type { SampleFrame, TestFrame } from './worker-messages.ts';

/** A sample ready to run: expected values decoded once, on the Node side only. */
export interface PreparedSample {
  readonly sample: Sample;
  readonly expected: readonly PyValue[];
  readonly tolerance: FloatTolerance;
  readonly timeoutMs: number;
}

export function prepareSample(sample: Sample, defaultTimeoutMs: number): PreparedSample {
  return {
    sample,
    expected: sample.tests.map((t, i) => decodeTagged(t.expected, `tests[${i}].expected`)),
    tolerance: sample.tolerance ?? DEFAULT_TOLERANCE,
    timeoutMs: sample.timeoutMs ?? defaultTimeoutMs,
  };
}

/**
 * Collects one sample's frames as they arrive and turns them into its SampleResult. Comparison with
 * the expected values happens here, in TypeScript, with Python's `==` (pyEquals).
 */
export class SampleAssembler {
  private readonly tests: (TestResult | undefined)[];
  private mode: SampleResult['mode'];

  constructor(
    readonly prepared: PreparedSample,
    private readonly tier: Tier,
  ) {
    this.mode = tier === 'isolated' ? 'fork' : 'inproc';
    this.tests = new Array<TestResult | undefined>(prepared.sample.tests.length).fill(undefined);
  }

  /** Tests that have an answer so far: the next one is the test now running. */
  get answered(): number {
    let n = 0;
    while (n < this.tests.length && this.tests[n] !== undefined) n++;
    return n;
  }

  addTest(frame: TestFrame): void {
    if (frame.i >= this.tests.length || this.tests[frame.i] !== undefined) {
      throw new Error(`worker answered test ${frame.i + 1} of ${this.tests.length} twice or out of range`);
    }
    this.tests[frame.i] = this.judge(frame);
  }

  private judge(frame: TestFrame): TestResult {
    const ms = frame.ms;
    if (!frame.ok) {
      return { verdict: frame.verdict ?? 'runtime_error', exception: frame.exc || undefined, message: frame.msg, ms, ran: true };
    }
    let actual: PyValue;
    try {
      actual = decodeTagged(frame.value);
    } catch (error) {
      return { verdict: 'unserializable', message: `the worker sent an unreadable value: ${(error as Error).message}`, ms, ran: true };
    }
    const expected = this.prepared.expected[frame.i]!;
    const verdict: Verdict = pyEquals(expected, actual, this.prepared.tolerance) ? 'passed' : 'wrong_answer';
    return { verdict, actual: frame.value, ms, ran: true };
  }

  /** The worker's closing frame for this sample. */
  finish(frame: SampleFrame): SampleResult {
    if (frame.mode !== 'refused') this.mode = frame.mode;
    if (frame.verdict && frame.verdict !== 'refused') {
      const early = frame.verdict === 'crash' || frame.verdict === 'timeout';
      const from = frame.from ?? this.answered;
      for (let i = from; i < this.tests.length; i++) {
        if (this.tests[i]) continue;
        this.tests[i] = {
          verdict: frame.verdict,
          exception: frame.exc || undefined,
          message: i === from || !early ? frame.msg : `not run: test ${from + 1} ended the sample`,
          ran: early && i === from,
        };
      }
    }
    const result = this.result(frame.out ?? '', frame.outBytes ?? 0, frame.stage);
    const early = frame.verdict && frame.verdict !== 'refused' ? frame.verdict : undefined;
    return this.tests.length === 0 && early ? { ...result, verdict: early } : result;
  }

  /** The worker died or was killed while this sample ran (Node's timeout, a crash, a lost worker). */
  abort(verdict: 'timeout' | 'crash', message: string): SampleResult {
    const from = this.answered;
    for (let i = from; i < this.tests.length; i++) {
      this.tests[i] = { verdict, message: i === from ? message : `not run: test ${from + 1} ended the sample`, ran: i === from };
    }
    if (this.tests.length === 0) return { ...this.result('', 0, undefined), verdict };
    return this.result('', 0, undefined);
  }

  private result(output: string, outputBytes: number, stage: SampleResult['stage']): SampleResult {
    const tests = this.tests.map((t) => t ?? { verdict: 'crash' as const, message: 'the worker sent no result for this test', ran: false });
    const passed = tests.filter((t) => t.verdict === 'passed').length;
    const failing = tests.find((t) => t.verdict !== 'passed');
    return {
      verdict: failing?.verdict ?? 'passed',
      passed,
      total: tests.length,
      tests,
      tier: this.tier,
      mode: this.mode,
      ...(stage ? { stage } : {}),
      output,
      outputBytes,
      cached: false,
    };
  }
}
