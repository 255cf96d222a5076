import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';
import { KERNELS, kernelPath } from './kernel-file.ts';

/** Compiles a kernel's text format to its binary, with the SIMD feature on. */
export async function compileKernel(name: (typeof KERNELS)[number]): Promise<Uint8Array> {
  const tools = await wabt();
  const module = tools.parseWat(`${name}.wat`, readFileSync(kernelPath(name, 'wat'), 'utf8'), { simd: true });
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

/** `npm run build:kernels`: writes every kernel's .wasm (committed, so the engine needs no compiler). */
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const name of KERNELS) {
    const bytes = await compileKernel(name);
    writeFileSync(kernelPath(name, 'wasm'), bytes);
    console.log(`${name}.wasm: ${bytes.length} bytes`);
  }
}
