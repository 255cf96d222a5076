import { fileURLToPath } from 'node:url';

/** The kernels shipped as WebAssembly: each `NAME.wat` in this folder compiles to `NAME.wasm`. */
export const KERNELS = ['adam', 'sparse'] as const;

export const kernelPath = (name: (typeof KERNELS)[number], ext: 'wat' | 'wasm'): string => fileURLToPath(new URL(`./${name}.${ext}`, import.meta.url));
