import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The kernels shipped as WebAssembly: each `NAME.wat` in this folder compiles to `NAME.wasm`. */
export const KERNELS = ['adam', 'sparse'] as const;

export const kernelPath = (name: (typeof KERNELS)[number], ext: 'wat' | 'wasm'): string => fileURLToPath(new URL(`./${name}.${ext}`, import.meta.url));

const compiled = new Map<string, WebAssembly.Module>();

/** A kernel's exports over `memory` (its one import); each .wasm is compiled once per process. */
export function instantiateKernel<Exports>(name: (typeof KERNELS)[number], memory: WebAssembly.Memory): Exports {
  let module = compiled.get(name);
  if (!module) compiled.set(name, (module = new WebAssembly.Module(readFileSync(kernelPath(name, 'wasm')))));
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Exports;
}
