import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The runtime rooms of docs/architecture.md, enforced: the engine and every Node face never import `electron`
 * (only electron/main and electron/preload may), the renderer never imports Node-side code, and
 * shared/ imports neither side nor any Node built-in.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const SOURCE = /\.(ts|mts|js|mjs|svelte)$/;
const SPECIFIER = /(?:\bimport\s+(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?|\bexport\s+(?:type\s+)?[\w*{}\s,$]+\s+from\s+|\bimport\s*\(\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile() && SOURCE.test(e.name) && !e.parentPath.includes(`${sep}node_modules`))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

function imports(file: string): { specifier: string; target: string }[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(SPECIFIER)].map((m) => {
    const specifier = m[1]!;
    let target = specifier;
    if (specifier.startsWith('.')) target = relative(ROOT, resolve(ROOT, file, '..', specifier));
    else if (specifier.startsWith('#shared/')) target = `shared/${specifier.slice(8)}`;
    else if (specifier.startsWith('#lab/')) target = `electron/lab/${specifier.slice(5)}`;
    return { specifier, target: target.split(sep).join('/') };
  });
}

function violations(files: string[], forbidden: (target: string, specifier: string) => boolean): string[] {
  return files.flatMap((file) =>
    imports(file)
      .filter(({ target, specifier }) => forbidden(target, specifier))
      .map(({ specifier }) => `${file} imports ${specifier}`),
  );
}

const isElectronModule = (specifier: string) => specifier === 'electron' || specifier.startsWith('electron/');
const isElectronShell = (file: string) => file.startsWith('electron/main/') || file.startsWith('electron/preload/');

describe('runtime boundaries', () => {
  it('finds the sources it checks', () => {
    expect(sourceFiles('electron').length).toBeGreaterThan(10);
    expect(sourceFiles('shared').length).toBeGreaterThan(3);
  });

  it('keeps the engine, CLI and server free of the electron module', () => {
    const files = sourceFiles('electron').filter((f) => !isElectronShell(f));
    expect(violations(files, (_, specifier) => isElectronModule(specifier))).toEqual([]);
  });

  it('keeps the Electron shell away from the engine, the server and the CLI: it relays to the engine host', () => {
    // The data folder's path is all main needs to know of the engine; everything else runs in the host.
    const allowed = new Set(['electron/lab/store/data-dir.ts']);
    const files = sourceFiles('electron').filter(isElectronShell);
    expect(
      violations(
        files,
        (target) =>
          (target.startsWith('electron/lab/') && !allowed.has(target)) ||
          target.startsWith('electron/server/') ||
          target.startsWith('electron/cli/') ||
          target === 'electron/host/engine-host-process.ts',
      ),
    ).toEqual([]);
  });

  it('keeps the renderer away from electron/ and from Node', () => {
    const files = sourceFiles('renderer');
    expect(
      violations(
        files,
        (target, specifier) => target.startsWith('electron/') || isElectronModule(specifier) || specifier.startsWith('node:'),
      ),
    ).toEqual([]);
  });

  it('keeps shared/ free of electron/, renderer/ and Node built-ins', () => {
    // Tests beside shared code run in Node and may read fixtures; the code they test may not.
    const code = sourceFiles('shared').filter((f) => !f.endsWith('.test.ts'));
    expect(
      violations(
        code,
        (target, specifier) =>
          target.startsWith('electron/') || target.startsWith('renderer/') || isElectronModule(specifier) || specifier.startsWith('node:'),
      ),
    ).toEqual([]);
    const tests = sourceFiles('shared').filter((f) => f.endsWith('.test.ts'));
    expect(violations(tests, (target, specifier) => target.startsWith('electron/') || target.startsWith('renderer/') || isElectronModule(specifier))).toEqual([]);
  });

  it('catches a forbidden import when one is written (the check can fail)', () => {
    expect(violations(['tests/architecture/fixtures/imports-electron.ts'], (_, s) => isElectronModule(s))).toEqual([
      "tests/architecture/fixtures/imports-electron.ts imports electron",
    ]);
  });
});
