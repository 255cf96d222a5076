import { describe, expect, it } from 'vitest';
import { acceptedVerdicts, matchOutcome } from './outcome-match.ts';
import type { TestResult, Verdict } from './verdict.ts';

const tests = (...verdicts: Verdict[]): TestResult[] => verdicts.map((verdict) => ({ verdict, ran: true }));
const result = (...verdicts: Verdict[]) => ({ verdict: verdicts.find((v) => v !== 'passed') ?? ('passed' as Verdict), tests: tests(...verdicts) });

describe('matchOutcome', () => {
  it('reads other harnesses\' names as ours', () => {
    expect(acceptedVerdicts('load_error')).toEqual(['compile_error']);
    expect(acceptedVerdicts('no_entry_point')).toEqual(['missing_entry_point']);
    expect(acceptedVerdicts('result too large')).toEqual(['output_limit']);
    expect(acceptedVerdicts('unserializable result')).toEqual(['unserializable']);
  });

  it('counts wrong_arity and memory_limit as runtime errors', () => {
    expect(acceptedVerdicts('runtime_error')).toEqual(['runtime_error', 'wrong_arity', 'memory_limit']);
  });

  it('accepts either side of "or"', () => {
    expect(matchOutcome('runtime_error or crash', result('crash', 'crash'))).toEqual({ matches: true });
    expect(matchOutcome('runtime_error or timeout (needs the OS sandbox tier)', result('passed'))).toEqual({
      matches: false,
      reason: 'verdict passed, expected runtime_error or wrong_arity or memory_limit or timeout',
    });
  });

  it('ignores explanations in parentheses', () => {
    expect(matchOutcome('passed (float tolerance)', result('passed', 'passed'))).toEqual({ matches: true });
  });

  it('checks only the tests a scope names', () => {
    expect(matchOutcome('wrong_answer on tests 2-3', result('passed', 'wrong_answer', 'wrong_answer'))).toEqual({ matches: true });
    expect(matchOutcome('wrong_answer on tests 2-3', result('wrong_answer', 'passed', 'wrong_answer'))).toEqual({
      matches: false,
      reason: 'test 2: passed, expected wrong_answer',
    });
    expect(matchOutcome('wrong_answer on all but test 1', result('wrong_answer', 'wrong_answer', 'wrong_answer'))).toEqual({ matches: true });
  });

  it('refuses words it cannot read rather than guessing', () => {
    expect(matchOutcome('exploded', result('crash'))).toEqual({ matches: false, reason: 'cannot read the expected outcome "exploded"' });
  });
});
