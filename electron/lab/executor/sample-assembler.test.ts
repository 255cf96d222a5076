import { describe, expect, it } from 'vitest';
import type { Sample } from '#shared/executor/sample.ts';
import { prepareSample, SampleAssembler } from './sample-assembler.ts';

const sample: Sample = {
  code: 'def f(x): ...',
  functionName: 'f',
  tests: [
    { args: [1], expected: { $tuple: [1, 2] } },
    { args: [2], expected: { $float: '0.3' } },
    { args: [3], expected: 3 },
  ],
};
const assembler = () => new SampleAssembler(prepareSample(sample, 1000), 'pooled');
const test = (i: number, value: unknown) => ({ seq: 1, type: 'test' as const, s: 0, i, ok: true, value });
const done = { seq: 1, type: 'sample' as const, s: 0, mode: 'inproc' as const, out: 'hi', outBytes: 2 };

describe('SampleAssembler', () => {
  it('compares with Python == in TypeScript: tuple vs list differ, floats within tolerance pass', () => {
    const a = assembler();
    a.addTest(test(0, [1, 2]));
    a.addTest(test(1, 0.30000000000000004));
    a.addTest(test(2, { $float: '3.0' }));
    const r = a.finish(done);
    expect(r.tests.map((t) => t.verdict)).toEqual(['wrong_answer', 'passed', 'passed']);
    expect([r.verdict, r.passed, r.total, r.output]).toEqual(['wrong_answer', 2, 3, 'hi']);
  });

  it('gives a crash to the running test and "not run" to the rest', () => {
    const a = assembler();
    a.addTest(test(0, { $tuple: [1, 2] }));
    const r = a.finish({ ...done, mode: 'fork', verdict: 'crash', from: 1, msg: 'process killed by SIGSEGV during test 2' });
    expect(r.tests.map((t) => [t.verdict, t.ran, t.message])).toEqual([
      ['passed', true, undefined],
      ['crash', true, 'process killed by SIGSEGV during test 2'],
      ['crash', false, 'not run: test 2 ended the sample'],
    ]);
    expect([r.verdict, r.passed, r.mode]).toEqual(['crash', 1, 'fork']);
  });

  it('gives a sample-level verdict to every test', () => {
    const r = assembler().finish({ ...done, verdict: 'compile_error', stage: 'compile', exc: 'SyntaxError', msg: 'bad', from: 0 });
    expect(r.tests.map((t) => t.verdict)).toEqual(['compile_error', 'compile_error', 'compile_error']);
    expect([r.verdict, r.stage]).toEqual(['compile_error', 'compile']);
  });

  it('answers a sample whose worker was killed for a timeout', () => {
    const a = assembler();
    a.addTest(test(0, { $tuple: [1, 2] }));
    const r = a.abort('timeout', 'no answer within 1000 ms');
    expect(r.tests.map((t) => t.verdict)).toEqual(['passed', 'timeout', 'timeout']);
  });

  it('refuses a second answer for the same test', () => {
    const a = assembler();
    a.addTest(test(0, 1));
    expect(() => a.addTest(test(0, 1))).toThrow('worker answered test 1 of 3 twice or out of range');
  });

  it('marks a value the worker could not have encoded as unserializable', () => {
    const a = assembler();
    a.addTest(test(0, { $nope: 1 }));
    expect(a.finish(done).tests[0]!.verdict).toBe('unserializable');
  });

  it('numbers assert tests after the pairs: a value-less ok frame passes, an AssertionError fails', () => {
    const a = new SampleAssembler(prepareSample({ ...sample, assertTests: ['assert f(1)', 'assert f(2)'] }, 1000), 'isolated');
    [0, 1, 2].forEach((i) => a.addTest(test(i, [{ $tuple: [1, 2] }, 0.3, 3][i])));
    a.addTest({ seq: 1, type: 'test', s: 0, i: 3, ok: true, ms: 1 });
    a.addTest({ seq: 1, type: 'test', s: 0, i: 4, ok: false, verdict: 'wrong_answer', exc: 'AssertionError', msg: 'assertion failed', ms: 1 });
    const r = a.finish({ ...done, mode: 'fork' });
    expect(r.tests.slice(3)).toEqual([
      { verdict: 'passed', ms: 1, ran: true, kind: 'assert' },
      { verdict: 'wrong_answer', exception: 'AssertionError', message: 'assertion failed', ms: 1, ran: true, kind: 'assert' },
    ]);
    expect([r.verdict, r.passed, r.total]).toEqual(['wrong_answer', 4, 5]);
  });
});
