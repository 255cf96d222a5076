import { describe, expect, it } from 'vitest';
import { BufferLedger } from './buffer-ledger.ts';

describe('BufferLedger', () => {
  it('counts what a FIFO of its capacity holds, by source and problem', () => {
    const ledger = new BufferLedger(10);
    ledger.add('policy', 'add', 1, 6);
    ledger.add('search', 'sub', 2, 3);
    ledger.add('policy', 'sub', 3, 4);
    expect(ledger.size).toBe(10);
    expect(ledger.makeUp(3)).toMatchObject({ bySource: { policy: 7, search: 3 }, byProblem: { add: 3, sub: 7 } });
  });

  it('gives ages in episodes: the median and the 90th percentile transition', () => {
    const ledger = new BufferLedger(100);
    ledger.add('policy', 'add', 1, 30);
    ledger.add('policy', 'add', 9, 70);
    const { ageMedian, ageP90 } = ledger.makeUp(10);
    expect(ageMedian).toBe(1);
    expect(ageP90).toBe(9);
    expect(new BufferLedger(100).makeUp(1)).toMatchObject({ ageMedian: 0, ageP90: 0 });
  });
});
