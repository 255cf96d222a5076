import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The UI draws control icons as SVG (renderer/src/components/Icon.svelte): glyphs of Unicode's
 * Miscellaneous Technical block (media controls such as U+23F8 pause) and emoji are missing from
 * common fonts, and Debian's Chromium with DejaVu draws them as an empty box.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const UNRELIABLE = /[\u2300-\u23FF]|[\u{1F000}-\u{1FFFF}]/u;

function rendererSources(): string[] {
  return readdirSync(join(ROOT, 'renderer/src'), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(svelte|ts|html|css)$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

describe('UI glyphs', () => {
  it('finds the sources it checks', () => {
    expect(rendererSources()).toContain('renderer/src/components/RunControls.svelte');
  });

  it('uses no symbol a common font lacks', () => {
    const found = rendererSources().flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => {
          const m = UNRELIABLE.exec(line);
          return m ? [`${file}:${i + 1}: U+${m[0].codePointAt(0)!.toString(16).toUpperCase()}`] : [];
        }),
    );
    expect(found).toEqual([]);
  });
});
