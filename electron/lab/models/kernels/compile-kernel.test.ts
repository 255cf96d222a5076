import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileKernel } from './compile-kernel.ts';
import { KERNELS, kernelPath } from './kernel-file.ts';

describe('the committed WebAssembly kernels', () => {
  it.each(KERNELS)('%s.wasm is what %s.wat compiles to', async (name) => {
    const built = await compileKernel(name);
    expect(Buffer.from(built).equals(readFileSync(kernelPath(name, 'wasm')))).toBe(true);
  });
});
