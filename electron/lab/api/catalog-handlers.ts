import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '#shared/api/api-error.ts';
import type { catalogMethods, Preset } from '#shared/api/catalog-api.ts';
import { parseConfigObject, parseConfigYaml, type ParsedConfig } from '#shared/config/parse-config-yaml.ts';
import { findProblemSet, listProblems, listProblemSets } from '#lab/store/problem-sets.ts';
import type { HandlerMap } from './handler-map.ts';

/** Presets in the order the editor offers them; others follow by name. */
const PRESET_ORDER = ['default', 'fast', 'seed', 'production'];

function leadingComment(yaml: string): string {
  const lines: string[] = [];
  for (const line of yaml.split('\n')) {
    if (!line.startsWith('#')) break;
    lines.push(line.replace(/^#\s?/, ''));
  }
  return lines.join(' ').trim();
}

function asValidation(parsed: ParsedConfig) {
  return { config: (parsed.config as Record<string, unknown> | undefined) ?? null, findings: parsed.findings };
}

export function readPresets(dir: string): Preset[] {
  const rank = (name: string) => (PRESET_ORDER.includes(name) ? PRESET_ORDER.indexOf(name) : PRESET_ORDER.length);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .map((file) => {
      const yaml = readFileSync(join(dir, file), 'utf8');
      return { name: file.replace(/\.ya?ml$/, ''), description: leadingComment(yaml), yaml, ...asValidation(parseConfigYaml(yaml)) };
    })
    .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

export const catalogHandlers: HandlerMap<keyof typeof catalogMethods> = {
  'problemSets.list': (_input, ctx) => listProblemSets(ctx.db),
  'problems.list': ({ set_id }, ctx) => {
    if (!findProblemSet(ctx.db, set_id)) throw new ApiError('not_found', `no problem set ${set_id}`);
    return listProblems(ctx.db, set_id).map((p) => ({
      name: p.name ?? p.function_name,
      function_name: p.function_name,
      parameters: p.parameters ?? null,
      docstring: p.docstring,
      test_count: p.test_cases.length + (p.assert_tests?.length ?? 0),
      difficulty: p.difficulty === undefined ? null : String(p.difficulty),
    }));
  },
  'presets.list': (_input, ctx) => readPresets(ctx.presetsDir),
  'presets.get': ({ name }, ctx) => {
    const preset = readPresets(ctx.presetsDir).find((p) => p.name === name);
    if (!preset) throw new ApiError('not_found', `no preset "${name}"`);
    return preset;
  },
  'config.validate': (input) => asValidation('yaml' in input ? parseConfigYaml(input.yaml) : parseConfigObject(input.config)),
};
