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
 * the expected values happens here, in TypeScript, with Python's `==` (pyEquals). Assert tests follow
 * the pair tests in one numbering (test `pairs + j` is assert j), so every early-end rule covers both.
 */
export class SampleAssembler {
  private readonly tests: (TestResult | undefined)[];
  private mode: SampleResult['mode'];

  constructor(
    readonly prepared: PreparedSample,
    private readonly tier: Tier,
  ) {
    this.mode = tier === 'isolated' || prepared.sample.assertTests?.length ? 'fork' : 'inproc';
    const count = prepared.sample.tests.length + (prepared.sample.assertTests?.length ?? 0);
    this.tests = new Array<TestResult | undefined>(count).fill(undefined);
  }

  /** Test i's result, marked as an assert test when it is one. */
  private set(i: number, result: TestResult): void {
    this.tests[i] = i >= this.prepared.sample.tests.length ? { ...result, kind: 'assert' } : result;
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
    this.set(frame.i, this.judge(frame));
  }

  private judge(frame: TestFrame): TestResult {
    const ms = frame.ms;
    if (!frame.ok) {
      return { verdict: frame.verdict ?? 'runtime_error', exception: frame.exc || undefined, message: frame.msg, ms, ran: true };
    }
    // An assert test passes by raising nothing: it has no value to compare.
    if (frame.i >= this.prepared.sample.tests.length) return { verdict: 'passed', ms, ran: true };
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
        this.set(i, {
          verdict: frame.verdict,
          exception: frame.exc || undefined,
          message: i === from || !early ? frame.msg : `not run: test ${from + 1} ended the sample`,
          ran: early && i === from,
        });
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
      this.set(i, { verdict, message: i === from ? message : `not run: test ${from + 1} ended the sample`, ran: i === from });
    }
    if (this.tests.length === 0) return { ...this.result('', 0, undefined), verdict };
    return this.result('', 0, undefined);
  }

  private result(output: string, outputBytes: number, stage: SampleResult['stage']): SampleResult {
    this.tests.forEach((t, i) => {
      if (!t) this.set(i, { verdict: 'crash', message: 'the worker sent no result for this test', ran: false });
    });
    const tests = [...this.tests] as TestResult[];
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
