import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from './electron-binary.ts';

function fakeRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'lab-electron-'));
  mkdirSync(join(root, 'node_modules', 'electron', 'dist'), { recursive: true });
  return root;
}

describe('findElectronBinary', () => {
  it('finds nothing when the package has no path.txt (the download never happened)', () => {
    expect(findElectronBinary({}, fakeRoot())).toBeUndefined();
  });

  it('finds nothing when path.txt names a file that is not there', () => {
    const root = fakeRoot();
    writeFileSync(join(root, 'node_modules', 'electron', 'path.txt'), 'electron');
    expect(findElectronBinary({}, root)).toBeUndefined();
  });

  it('finds the binary that path.txt names under dist/', () => {
    const root = fakeRoot();
    writeFileSync(join(root, 'node_modules', 'electron', 'path.txt'), 'electron');
    writeFileSync(join(root, 'node_modules', 'electron', 'dist', 'electron'), '');
    expect(findElectronBinary({}, root)).toBe(join(root, 'node_modules', 'electron', 'dist', 'electron'));
  });

  it('uses ELECTRON_OVERRIDE_DIST_PATH when it points at an installed Electron', () => {
    const dist = mkdtempSync(join(tmpdir(), 'lab-electron-dist-'));
    writeFileSync(join(dist, 'electron'), '');
    expect(findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: dist }, fakeRoot())).toBe(join(dist, 'electron'));
  });
});
