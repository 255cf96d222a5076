import { describe, expect, it } from 'vitest';
import type { SampleResult } from '#shared/executor/verdict.ts';
import { ResultCache, sampleKey } from './result-cache.ts';

const sample = { code: 'def f(x):\n    return x\n', functionName: 'f', tests: [{ args: [1], expected: 1 }] };
const result = (verdict: SampleResult['verdict']): SampleResult => ({
  verdict, passed: verdict === 'passed' ? 1 : 0, total: 1, tests: [{ verdict, ran: true }],
  tier: 'pooled', mode: 'inproc', output: '', outputBytes: 0, cached: false,
});

describe('ResultCache', () => {
  it('keys on code, tests and budget', () => {
    const key = sampleKey(sample, 1000, 'pooled');
    expect(sampleKey({ ...sample }, 1000, 'pooled')).toBe(key);
    expect(sampleKey({ ...sample, code: `${sample.code} ` }, 1000, 'pooled')).not.toBe(key);
    expect(sampleKey({ ...sample, tests: [{ args: [1], expected: 2 }] }, 1000, 'pooled')).not.toBe(key);
    expect(sampleKey(sample, 2000, 'pooled')).not.toBe(key);
  });

  it('answers a repeated sample, marked as cached', () => {
    const cache = new ResultCache(10);
    cache.set('k', result('passed'));
    expect(cache.get('k')).toEqual({ ...result('passed'), cached: true });
  });

  it('never keeps timeouts or crashes, which may come from the machine rather than the program', () => {
    const cache = new ResultCache(10);
    cache.set('a', result('timeout'));
    cache.set('b', result('crash'));
    expect(cache.size).toBe(0);
  });

  it('forgets the least recently used entry past its capacity', () => {
    const cache = new ResultCache(2);
    cache.set('a', result('passed'));
    cache.set('b', result('passed'));
    cache.get('a');
    cache.set('c', result('passed'));
    expect([cache.get('a') !== undefined, cache.get('b') !== undefined, cache.get('c') !== undefined]).toEqual([true, false, true]);
  });
});
