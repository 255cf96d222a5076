import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';

export interface PythonInterpreter {
  /** The real executable (shims resolved away: a pyenv shim costs ~0.4 s per spawn). */
  readonly path: string;
  readonly version: string;
}

const cache = new Map<string, PythonInterpreter>();

/**
 * Finds the real Python 3 interpreter once per process: `override` (a setting or LAB_PYTHON), else
 * `python3` on PATH. The interpreter itself reports sys.executable, which sees through shims.
 */
export function resolvePython(override = process.env.LAB_PYTHON): PythonInterpreter {
  const requested = override || 'python3';
  const known = cache.get(requested);
  if (known) return known;
  let output: string;
  try {
    output = execFileSync(requested, ['-I', '-c', 'import sys; print(sys.executable); print(sys.version.split()[0]); assert sys.version_info >= (3, 8)'], {
      encoding: 'utf8',
      timeout: 15_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    throw new Error(`Python interpreter "${requested}" cannot be used: ${(error as Error).message.split('\n')[0]} (Python 3.8 or newer is needed; set LAB_PYTHON or the interpreter in Settings)`);
  }
  const [executable, version] = output.trim().split('\n');
  const interpreter = { path: realpathSync(executable || requested), version: version ?? 'unknown' };
  cache.set(requested, interpreter);
  return interpreter;
}
