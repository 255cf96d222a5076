import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { problemSchema } from '#shared/problems/problem.ts';
import { BUNDLED_PROBLEMS_DIR, PROJECT_ROOT } from '#lab/paths.ts';
import { buildBundledDatasets } from './build-bundled-datasets.ts';

/** Unmodified copies of the raw datasets, kept as fixtures so this runs in every checkout. */
const RAW_DATASETS_DIR = join(PROJECT_ROOT, 'tests', 'fixtures', 'datasets');

function bundledLines(name: string): string[] {
  return readFileSync(join(BUNDLED_PROBLEMS_DIR, `${name}.jsonl`), 'utf8').trimEnd().split('\n');
}

describe('the bundled HumanEval and MBPP files', () => {
  it.each([
    ['humaneval', 164, 'HumanEval/'],
    ['mbpp', 974, 'mbpp/'],
  ])('%s.jsonl holds %i problems, each valid against problemSchema', (name, count, prefix) => {
    const lines = bundledLines(name);
    expect(lines).toHaveLength(count);
    const sources = new Set<string>();
    for (const [i, line] of lines.entries()) {
      const parsed = problemSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${name}.jsonl line ${i + 1}: ${parsed.error.message}`);
      expect(parsed.data.source?.startsWith(prefix)).toBe(true);
      sources.add(parsed.data.source!);
    }
    expect(sources.size).toBe(count);
  });

  it('ship their attribution and licenses', () => {
    const attribution = readFileSync(join(BUNDLED_PROBLEMS_DIR, 'ATTRIBUTION.md'), 'utf8');
    expect(attribution).toContain('| `humaneval.jsonl` | 164 |');
    expect(attribution).toContain('| `mbpp.jsonl` | 974 |');
    expect(readFileSync(join(BUNDLED_PROBLEMS_DIR, 'licenses', 'HumanEval.LICENSE'), 'utf8')).toContain('MIT License');
    expect(readFileSync(join(BUNDLED_PROBLEMS_DIR, 'licenses', 'MBPP.CC-BY-4.0.md'), 'utf8')).toContain('CC BY 4.0');
  });

  it('are what the build script makes from the raw datasets today', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lab-bundled-'));
    const counts = await buildBundledDatasets(RAW_DATASETS_DIR, out);
    expect(counts.map((c) => [c.name, c.fully + c.partly, c.unconvertible.length])).toEqual([
      ['humaneval', 164, 0],
      ['mbpp', 974, 0],
    ]);
    for (const file of ['humaneval.jsonl', 'mbpp.jsonl', 'ATTRIBUTION.md']) {
      expect(readFileSync(join(out, file), 'utf8'), file).toBe(readFileSync(join(BUNDLED_PROBLEMS_DIR, file), 'utf8'));
    }
  });
});
