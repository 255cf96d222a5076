import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { dqnBench, runDqnBench } from './dqn-bench.ts';

describe('the dqn bench', () => {
  // A smoke run on tiny networks: the numbers are the bench's business, not the test's.
  it('times the fused update, the naive autograd update and the plain matMul on one backend', { timeout: 60_000 }, async () => {
    const tiny = { stateSize: 12, hidden: 8, actions: 6, doubleDqn: false, dueling: false, naive: true };
    const r = await runDqnBench({
      backend: 'wasm',
      batch: 4,
      networks: [
        { ...tiny, label: 'tiny' },
        { ...tiny, label: 'tiny dueling', doubleDqn: true, dueling: true, naive: false },
      ],
      repeats: 2,
      naiveRepeats: 1,
      matMulRepeats: 2,
    });
    expect(r.backend).toBe('wasm');
    expect(r.updates.map((u) => [u.label, u.naiveMs !== undefined])).toEqual([
      ['tiny', true],
      ['tiny dueling', false],
    ]);
    // FLOPs are counted, not measured: exact. Plain: target forward 2*4*(12*8+8*8+8*6), online trunk
    // 2*4*(12*8+8*8), hidden backward 2*4*(12*8+2*8*8), gathered head 2*2*4*8.
    expect(r.updates[0]!.gflop * 1e9).toBeCloseTo(1664 + 1280 + 1792 + 128, 6);
    expect(r.updates.every((u) => u.ms > 0 && u.vsMatMul > 0)).toBe(true);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('reports ratios that follow from its own timings and counted FLOPs', { timeout: 60_000 }, async () => {
    const tiny = { label: 'tiny', stateSize: 12, hidden: 8, actions: 6, doubleDqn: true, dueling: false, naive: true };
    const r = await runDqnBench({ backend: 'wasm', batch: 4, networks: [tiny], repeats: 2, naiveRepeats: 1, matMulRepeats: 2 });
    const u = r.updates[0]!;
    expect(r.matMul.gflops).toBeCloseTo((2 * 64 * 512 * 512) / r.matMul.ms / 1e6, 6);
    expect(u.gflops).toBeCloseTo((u.gflop * 1e3) / u.ms, 6);
    expect(u.vsMatMul).toBeCloseTo(u.gflops / r.matMul.gflops, 6);
    expect(u.speedupVsNaive).toBeCloseTo(u.naiveMs! / u.ms, 6);
    // Double DQN runs the next states through both networks: one more forward than plain DQN.
    expect(u.gflop * 1e9).toBeCloseTo(1664 + 1280 + 1792 + 128 + 2 * 4 * (12 * 8 + 8 * 8 + 8 * 6), 6);
    expect(dqnBench.name).toBe('dqn');
  });
});
