import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { backendChoiceFromDevice, selectBackend } from './backend.ts';

describe('selectBackend', () => {
  it('falls through the native backends to wasm here and says why each did not load', async () => {
    const report = await selectBackend('auto');
    // The native packages cannot install on these machines (docs/toolchain.md, "Native TensorFlow"); where they do,
    // the first attempt is ok instead and this expectation does not apply.
    const nativeMissing = !report.attempts[0]!.ok;
    if (nativeMissing) {
      expect(report.attempts.map((a) => [a.choice, a.ok])).toEqual([
        ['gpu', false],
        ['node', false],
        ['wasm', true],
        ['cpu', false],
      ]);
      expect(report.attempts[0]!.reason).toContain('@tensorflow/tfjs-node-gpu did not load');
      expect(report.attempts[3]!.reason).toBe('not tried: wasm loaded first');
      expect(report.backend).toBe('wasm');
      expect(report.details.simd).toBe(true);
    }
    expect(tf.getBackend()).toBe(report.backend);
  });

  it('can be forced, and a forced backend that is missing throws with the reason', async () => {
    expect((await selectBackend('cpu')).backend).toBe('cpu');
    expect((await selectBackend('wasm')).backend).toBe('wasm');
    const gpu = await selectBackend('gpu').then(
      (r) => r.backend,
      (e: Error) => e.message,
    );
    expect(gpu === 'tensorflow' || gpu.startsWith("no tfjs backend could be loaded for 'gpu': @tensorflow/tfjs-node-gpu did not load")).toBe(true);
  });

  it('maps the seed device names', () => {
    expect(['cuda', 'gpu', 'cpu', 'wasm', 'auto', 'tpu'].map(backendChoiceFromDevice)).toEqual(['gpu', 'gpu', 'cpu', 'wasm', 'auto', 'auto']);
  });
});
