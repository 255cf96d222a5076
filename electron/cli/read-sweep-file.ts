import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseConfigYaml } from '#shared/config/parse-config-yaml.ts';
import { expandSweep } from '#shared/sweeps/expand-sweep.ts';
import { formatFinding, parseSweepYaml } from '#shared/sweeps/parse-sweep-yaml.ts';
import type { SweepSpec } from '#shared/sweeps/sweep-spec.ts';
import { PRESETS_DIR } from '#lab/paths.ts';

export type SweepFileResult = { ok: true; spec: SweepSpec & { base: Record<string, unknown> }; runs: number; warnings: string[] } | { ok: false; errors: string[] };

/** A base preset: a path relative to the sweep file, else a bundled preset by path or name. */
function findPreset(sweepFile: string, name: string): string | undefined {
  const candidates = isAbsolute(name)
    ? [name]
    : [resolve(dirname(sweepFile), name), resolve(name), join(PRESETS_DIR, name), join(PRESETS_DIR, `${name}.yaml`), join(PRESETS_DIR, name.replace(/^data\/presets\//, ''))];
  return candidates.find((path) => existsSync(path));
}

/**
 * Reads a sweep file, inlines its base config and expands it once here, so every error (in the
 * sweep file or in the base preset) is reported with its file, line and column before anything
 * reaches the lab.
 */
export function readSweepFile(file: string): SweepFileResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, errors: [`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`] };
  }
  const parsed = parseSweepYaml(text);
  if (!parsed.spec) return { ok: false, errors: parsed.findings.map((f) => formatFinding(file, f)) };
  let base: Record<string, unknown>;
  const warnings: string[] = [];
  if (typeof parsed.spec.base === 'string') {
    const presetPath = findPreset(file, parsed.spec.base);
    const at = parsed.locate('base');
    if (!presetPath) return { ok: false, errors: [formatFinding(file, { severity: 'error', path: 'base', ...at, message: `no preset "${parsed.spec.base}" (a path relative to the sweep file, or a bundled preset's name)` })] };
    const preset = parseConfigYaml(readFileSync(presetPath, 'utf8'));
    const errors = preset.findings.filter((f) => f.severity === 'error');
    if (errors.length) return { ok: false, errors: errors.map((f) => formatFinding(presetPath, f)) };
    base = preset.config as unknown as Record<string, unknown>;
  } else base = parsed.spec.base;
  const expansion = expandSweep(parsed.spec, base);
  const located = expansion.findings.map((f) => formatFinding(file, { ...f, ...parsed.locate(f.path) }));
  const errors = located.filter((_, i) => expansion.findings[i]!.severity === 'error');
  if (errors.length) return { ok: false, errors };
  warnings.push(...located);
  return { ok: true, spec: { ...parsed.spec, base }, runs: expansion.runs.length, warnings };
}
