import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ProblemSetRefusedError, resolveProblemSet } from '#lab/experiments/resolve-problem-set.ts';
import type { LabDatabase } from '#lab/store/database.ts';
import { PRESETS_DIR } from '#lab/paths.ts';
import { parseConfigYaml } from '#shared/config/parse-config-yaml.ts';
import type { TrainingConfig } from '#shared/config/training-config.ts';
import type { Problem } from '#shared/problems/problem.ts';
import { RefusedError, UsageError, type CommandIo, type ParsedArgs } from './command.ts';

/** A config file (default: the default preset), its findings printed with file:line:column. */
export function loadConfigFile(path: string | undefined, io: CommandIo): { config: TrainingConfig; dir: string } {
  const file = resolve(path ?? `${PRESETS_DIR}/default.yaml`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`${file}: no such config file`);
  }
  const parsed = parseConfigYaml(text);
  for (const f of parsed.findings) {
    io.err(`${file}${f.line ? `:${f.line}:${f.column}` : ''}: ${f.severity === 'warning' ? 'warning: ' : ''}${f.path ? `${f.path}: ` : ''}${f.message}`);
  }
  if (!parsed.config) throw new RefusedError(`${file}: the config is invalid`);
  return { config: parsed.config, dir: dirname(file) };
}

/** Problems from a stored set or a problem file, refused with the importer's precise errors. */
export async function loadProblems(db: LabDatabase, reference: string, configDir?: string): Promise<{ name: string; problems: Problem[] }> {
  try {
    const { set, problems } = await resolveProblemSet(db, reference, configDir);
    return { name: set.name, problems };
  } catch (error) {
    if (error instanceof ProblemSetRefusedError) throw new RefusedError(error.message);
    throw error;
  }
}

export function optionalWholeNumber(args: ParsedArgs, flag: string): number | undefined {
  const value = args.values[flag];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new UsageError(`--${flag} needs a whole number, got "${String(value)}"`);
  return Number(value);
}

export function wholeNumber(args: ParsedArgs, flag: string, fallback: number): number {
  return optionalWholeNumber(args, flag) ?? fallback;
}

export function fraction(args: ParsedArgs, flag: string, fallback: number): number {
  const value = args.values[flag];
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`--${flag} needs a number from 0 to 1`);
  return n;
}
