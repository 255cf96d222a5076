import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * What users and readers of the repository see speaks of the product alone: presets, docs, UI text
 * and comments say what was measured, on what, with which command; never which ticket or work
 * session it came from. And every page a comment relies on is in the repository.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const TEXT = /\.(ts|mts|js|mjs|svelte|ya?ml|md|json|html|css|py)$/;
const THIS_FILE = 'tests/architecture/product-text.test.ts';

function trackedTextFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\n');
  return listed.filter((f) => TEXT.test(f) && f !== THIS_FILE && !f.startsWith('tests/fixtures/') && !f.startsWith('data/problems/') && f !== 'package-lock.json' && existsSync(join(ROOT, f)));
}

function hits(pattern: RegExp): string[] {
  return trackedTextFiles().flatMap((file) =>
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe('product text', () => {
  it('finds the files it checks', () => {
    const files = trackedTextFiles();
    expect(files).toContain('data/presets/default.yaml');
    expect(files).toContain('README.md');
  });

  it('never cites an issue number or a work session', () => {
    expect(hits(/\bissues? ?#?\d+\b|\bsession of\b/i)).toEqual([]);
  });

  it('never points at design notes kept outside the repository', () => {
    expect(hits(/\b(DESIGN|STYLE|TOOLCHAIN)\.md\b/)).toEqual([]);
  });

  it('points only at docs/ pages that exist', () => {
    const missing = hits(/docs\/[\w-]+\.md/).flatMap((hit) =>
      [...hit.matchAll(/docs\/([\w-]+\.md)/g)].map((m) => m[1]!).filter((page) => !existsSync(join(ROOT, 'docs', page))).map((page) => `${hit.split(': ')[0]} -> docs/${page}`),
    );
    expect(missing).toEqual([]);
  });
});
