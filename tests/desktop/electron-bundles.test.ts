import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeImports } from './support/native-imports.ts';

/**
 * No Electron process loads a native addon built for Node: the built main and preload bundles
 * (out/, built by the suite's global setup with electron-vite) import none, directly or through
 * an external package.
 */
const ROOT = resolve(import.meta.dirname, '../..');

describe('the Electron bundles', () => {
  it('import no native addon from out/main', () => {
    expect(nativeImports(join(ROOT, 'out', 'main'), ROOT)).toEqual([]);
  });

  it('import no native addon from out/preload', () => {
    expect(nativeImports(join(ROOT, 'out', 'preload'), ROOT)).toEqual([]);
  });

  it('are checked by something that finds native loads when a bundle has them', () => {
    expect(nativeImports(join(import.meta.dirname, 'fixtures', 'native-bundle'), ROOT)).toEqual([
      'main/chunks/addon.js: ../build/Release/lab.node (a native addon file)',
      'main/index.js: @tensorflow/tfjs-node (native: @tensorflow/tfjs-node)',
      'main/index.js: better-sqlite3 (native: better-sqlite3)',
      'preload/index.cjs: better-sqlite3/lib/database (native: better-sqlite3)',
    ]);
  });

  it('finds a native addon behind an external package', () => {
    expect(nativeImports(join(import.meta.dirname, 'fixtures', 'native-dependency'), ROOT)).toEqual([
      // lightningcss ships its addon as one package per platform
      expect.stringMatching(/^index\.js: vite \(native: vite -> lightningcss -> lightningcss-[\w-]+\)$/),
    ]);
  });
});
