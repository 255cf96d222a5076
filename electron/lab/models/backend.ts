import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/**
 * Which tfjs backend to run on. 'auto' tries the fastest first: native TensorFlow with CUDA
 * (`@tensorflow/tfjs-node-gpu`), native TensorFlow on the CPU (`@tensorflow/tfjs-node`), WebAssembly
 * with XNNPACK (`@tensorflow/tfjs-backend-wasm`), then tfjs's plain JavaScript CPU kernels.
 * The native packages are optional dependencies whose install downloads libtensorflow, which fails
 * on machines without that network access (docs/toolchain.md, "Native TensorFlow"), so each may be missing.
 */
export type BackendChoice = 'auto' | 'gpu' | 'node' | 'wasm' | 'cpu';

/** One backend that was tried, for the settings page: what loaded and why the others did not. */
export interface BackendAttempt {
  readonly choice: Exclude<BackendChoice, 'auto'>;
  /** The tfjs backend name it registers: 'tensorflow', 'wasm' or 'cpu'. */
  readonly backend: string;
  readonly ok: boolean;
  /** Why it did not load (the import or initialisation error), or why it was not tried. */
  readonly reason?: string;
}

export interface BackendReport {
  /** What was asked for. */
  readonly requested: BackendChoice;
  /** The choice that loaded. */
  readonly choice: Exclude<BackendChoice, 'auto'>;
  /** tf.getBackend() after selection: stored with each experiment. */
  readonly backend: string;
  readonly attempts: readonly BackendAttempt[];
  /** Notes on the active backend, e.g. wasm's SIMD and thread count. */
  readonly details: Readonly<Record<string, string | number | boolean>>;
}

const ORDER: readonly Exclude<BackendChoice, 'auto'>[] = ['gpu', 'node', 'wasm', 'cpu'];
const PACKAGES = { gpu: '@tensorflow/tfjs-node-gpu', node: '@tensorflow/tfjs-node' } as const;

/** The seed's `agent.device` values and ours, as a backend choice ('cuda' is the seed's GPU). */
export function backendChoiceFromDevice(device: string): BackendChoice {
  if (device === 'cuda' || device === 'gpu') return 'gpu';
  if (device === 'cpu' || device === 'wasm' || device === 'node') return device;
  return 'auto';
}

/** The folder holding the .wasm binaries, so the wasm backend loads them from disk in Node. */
export function wasmBinaryDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
}

async function tryNative(choice: 'gpu' | 'node'): Promise<string | undefined> {
  // A variable specifier: the packages are optional, so neither TypeScript nor the bundler may
  // insist that they exist.
  const specifier: string = PACKAGES[choice];
  try {
    await import(specifier);
  } catch (error) {
    return `${specifier} did not load: ${firstLine(error)}`;
  }
  // tfjs-node registers 'tensorflow' with the @tensorflow/tfjs-core it requires; if npm gave it a
  // copy of its own, ours never sees the backend.
  if (!tf.findBackendFactory('tensorflow')) return `${specifier} loaded but registered with another copy of @tensorflow/tfjs-core`;
  return (await setBackend('tensorflow')) ? undefined : `${specifier} loaded but the 'tensorflow' backend failed to initialise`;
}

async function setBackend(name: string): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

async function tryChoice(choice: Exclude<BackendChoice, 'auto'>): Promise<string | undefined> {
  switch (choice) {
    case 'gpu':
    case 'node':
      return tryNative(choice);
    case 'wasm':
      try {
        setWasmPaths(wasmBinaryDir());
      } catch (error) {
        // Paths can be set only before the backend first initialises; a second call is harmless.
        if (!tf.findBackend('wasm')) return `setting the wasm paths failed: ${firstLine(error)}`;
      }
      return (await setBackend('wasm')) ? undefined : 'the wasm backend failed to initialise';
    case 'cpu':
      return (await setBackend('cpu')) ? undefined : 'the cpu backend failed to initialise';
  }
}

function backendName(choice: Exclude<BackendChoice, 'auto'>): string {
  return choice === 'gpu' || choice === 'node' ? 'tensorflow' : choice;
}

/**
 * Selects and initialises a backend. 'auto' takes the first of gpu, node, wasm, cpu that loads; a
 * forced choice that fails throws with the reason (a user who asked for the GPU should hear that it
 * is not there, not silently train on the CPU).
 */
export async function selectBackend(requested: BackendChoice = 'auto'): Promise<BackendReport> {
  const candidates = requested === 'auto' ? ORDER : [requested];
  const attempts: BackendAttempt[] = [];
  for (const choice of candidates) {
    const reason = await tryChoice(choice);
    attempts.push(reason === undefined ? { choice, backend: backendName(choice), ok: true } : { choice, backend: backendName(choice), ok: false, reason });
    if (reason !== undefined) continue;
    for (const later of ORDER.slice(ORDER.indexOf(choice) + 1)) {
      if (requested === 'auto') attempts.push({ choice: later, backend: backendName(later), ok: false, reason: `not tried: ${choice} loaded first` });
    }
    return { requested, choice, backend: tf.getBackend(), attempts, details: await backendDetails() };
  }
  throw new Error(`no tfjs backend could be loaded for '${requested}': ${attempts.map((a) => a.reason).join('; ')}`);
}

async function backendDetails(): Promise<Record<string, string | number | boolean>> {
  const details: Record<string, string | number | boolean> = { tfjs: tf.version.tfjs };
  if (tf.getBackend() === 'wasm') {
    details.simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    details.multithreading = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  }
  return details;
}
