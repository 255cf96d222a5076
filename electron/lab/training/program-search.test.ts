import { describe, expect, it } from 'vitest';
import { TOKENS, tokenId } from '#shared/env/token-vocabulary.ts';
import { ProgramMemory } from '#lab/env/program-memory.ts';
import { ProgramEnumerator } from '#lab/agents/enumerate/program-enumerator.ts';
import { ProblemSearch } from './program-search.ts';

const ids = (s: string) => s.split(' ').map((n) => tokenId(n));
const names = (t: readonly number[]) => t.map((a) => TOKENS[a]!.name).join(' ');
const SHAPE = { paramCount: 3, maxSteps: 16, parameters: ['a', 'b', 'c'] };

describe('the program enumerator with a prefix', () => {
  it('only completes the prefix, shortest first', () => {
    const e = new ProgramEnumerator(3, 12, ['a', 'b', 'c'], ids('return max( P0 ,'), 5);
    expect([e.next(), e.next(), e.next()].map((p) => names(p!))).toEqual([
      'return max( P0 , 0 ) NEWLINE END',
      'return max( P0 , 1 ) NEWLINE END',
      'return max( P0 , 2 ) NEWLINE END',
    ]);
  });

  it('with leaves, only writes skeletons around those operands in that order', () => {
    const e = new ProgramEnumerator(3, 9, ['a', 'b', 'c'], [], 1, ids('P0 P2'));
    expect([e.next(), e.next(), e.next()].map((p) => names(p!))).toEqual(['return P0 in P2 NEWLINE END', 'return P0 + P2 NEWLINE END', 'return P0 - P2 NEWLINE END']);
  });

  it('with leaves, writes the same skeletons whether or not a visit bound is set that they stay within', () => {
    const all = (e: ProgramEnumerator) => Array.from({ length: 400 }, () => e.next()).filter(Boolean).map((p) => names(p!));
    const bounded = all(new ProgramEnumerator(3, 8, ['a', 'b', 'c'], [], 1, ids('P0 P2 P1'), 1_000_000));
    expect(bounded.length).toBeGreaterThan(10);
    expect(all(new ProgramEnumerator(3, 8, ['a', 'b', 'c'], [], 1, ids('P0 P2 P1')))).toEqual(bounded);
  });

  it('ends the walk after a set number of grammar states without a program', () => {
    const skeletons = (bound?: number) => new ProgramEnumerator(3, 8, ['a', 'b', 'c'], [], 1, ids('P0 P2 P1'), bound);
    expect(skeletons().next()).toBeDefined();
    expect(skeletons(5).next()).toBeUndefined();
  });

  it('without a prefix, starts with the shortest programs as before', () => {
    const e = new ProgramEnumerator(1, 8, ['n']);
    expect(names(e.next()!)).toBe('return 0 NEWLINE END');
  });
});

describe('the problem search', () => {
  it('alternates enumeration and a local search around the best partial program', () => {
    const s = new ProblemSearch(SHAPE, 2);
    expect(names(s.next(() => false)!)).toBe('return 0 NEWLINE END');
    // a 5/6 partial becomes the base: odd proposals now complete its prefixes
    expect(s.report(ids('return max( P0 , P2 ) NEWLINE END'), 5, 6)).toBe(true);
    expect(s.report(ids('return P0 NEWLINE END'), 4, 6)).toBe(false); // worse: ignored
    expect(names(s.next(() => false)!)).toBe('return max( P0 , P2 ) NEWLINE END'); // local, cut before END
    expect(names(s.next(() => false)!)).toBe('return 1 NEWLINE END'); // enumeration
    // known programs are skipped
    const known = (t: readonly number[]) => names(t) === 'return 2 NEWLINE END';
    expect(names(s.next(known)!)).not.toBe('return 2 NEWLINE END');
  });

  it('reaches max(a, c, b) from the partial max(a, c) after 251 cut completions', () => {
    const s = new ProblemSearch(SHAPE, 2);
    s.report(ids('return max( P0 , P2 ) NEWLINE END'), 5, 6);
    const target = 'return max( P0 , P2 , P1 ) NEWLINE END';
    let turns = 0;
    for (; turns < 10_000; ) {
      turns++;
      if (names(s.next(() => false)!) === target) break;
    }
    // odd turns: the base's neighbourhood, cut completions and skeletons in turn (251 + 250)
    expect(turns).toBe(1002);
    expect(s.snapshot()).toMatchObject({ produced: 501, localProduced: 21, cut: 5, skeletonProduced: 250, spent: 501, turn: 1002 });
    expect(s.report(ids(target), 6, 6)).toBe(true);
    expect(names(s.solution!)).toBe(target);
    expect(s.report(ids('return P0 NEWLINE END'), 6, 6)).toBe(false); // the first solution stays
  });

  it('moves to a tied partial program once a base has spent its local budget', () => {
    const s = new ProblemSearch(SHAPE, 2);
    s.report(ids('return P0 or P2 NEWLINE END'), 4, 6);
    expect(s.report(ids('return P0 or P2 or P1 NEWLINE END'), 4, 6)).toBe(false); // tied: pending
    expect(s.report(ids('return max( P0 , P1 ) NEWLINE END'), 4, 6)).toBe(false); // tied, 4 new tokens: next
    const target = 'return max( P0 , P1 , P2 ) NEWLINE END';
    let turns = 0;
    for (; turns < 10_000; ) {
      turns++;
      if (names(s.next(() => false)!) === target) break;
    }
    // 2,000 proposals around `a or c` (its budget), then 503 around `max(a, b)`; the enumeration takes the even turns
    expect(turns).toBe(5006);
    expect(s.snapshot()).toMatchObject({ base: ids('return max( P0 , P1 ) NEWLINE END'), pending: [ids('return P0 or P2 or P1 NEWLINE END')] });
  });

  it('finds max(a, c) among the skeletons of the partial a or c', () => {
    const s = new ProblemSearch(SHAPE, 2);
    s.report(ids('return P0 or P2 NEWLINE END'), 4, 6);
    const target = 'return max( P0 , P2 ) NEWLINE END';
    let turns = 0;
    for (; turns < 10_000; ) {
      turns++;
      if (names(s.next(() => false)!) === target) break;
    }
    // the 742nd skeleton (every other local proposal; local proposals every other turn)
    expect(turns).toBe(2968);
    expect(s.snapshot()).toMatchObject({ skeletonProduced: 742 });
    expect(s.report(ids(target), 5, 6)).toBe(true);
    expect(s.snapshot()).toMatchObject({ base: ids(target), baseScore: 5 / 6, skeletonProduced: 0, spent: 0, cut: 7 });
  });

  it('continues exactly from a snapshot', () => {
    const a = new ProblemSearch(SHAPE, 2);
    a.report(ids('return max( P0 , P2 ) NEWLINE END'), 5, 6);
    for (let k = 0; k < 300; k++) a.next(() => false);
    const b = new ProblemSearch(SHAPE, 2, a.snapshot());
    const next = (s: ProblemSearch) => Array.from({ length: 50 }, () => names(s.next(() => false)!));
    expect(next(b)).toEqual(next(a));
    expect(b.snapshot()).toEqual(a.snapshot());
  });
});

describe('the program memory look-up the search uses', () => {
  it('tells known programs without counting a hit', () => {
    const m = new ProgramMemory(true);
    m.set(2, [1, 2, 3], { passed: 1, total: 2, compiled: true, verdicts: [] });
    expect([m.has(2, [1, 2, 3]), m.has(2, [1, 2]), m.has(1, [1, 2, 3])]).toEqual([true, false, false]);
    expect(m.hits).toBe(0);
  });
});
