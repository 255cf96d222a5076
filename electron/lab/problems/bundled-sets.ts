import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { LabDatabase } from '#lab/store/database.ts';
import { findProblemSet, saveProblemSet } from '#lab/store/problem-sets.ts';
import { readSetting, writeSetting } from '#lab/store/settings.ts';
import { BUNDLED_PROBLEMS_DIR } from '#lab/paths.ts';
import { formatImportMessage } from '#shared/problems/import-report.ts';
import { importProblemFiles } from './import-problems.ts';

const INSTALLED_KEY = 'bundled_sets_installed';

/** The problem files shipped in data/problems, in the order the lab lists them. */
export function bundledProblemFiles(dir = BUNDLED_PROBLEMS_DIR): string[] {
  const order = ['seed-train', 'seed-eval', 'unseen-simple', 'humaneval', 'mbpp'];
  const rank = (file: string) => {
    const i = order.indexOf(setNameOf(file));
    return i === -1 ? order.length : i;
  };
  return readdirSync(dir)
    .filter((file) => /\.(json|jsonl)$/.test(file))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((file) => join(dir, file));
}

/** A bundled set is named after its file: data/problems/seed-train.json is "seed-train". */
function setNameOf(path: string): string {
  return basename(path).replace(/\.(json|jsonl)$/, '');
}

/**
 * Stores each bundled set this database has never had, so a fresh lab starts with the seed's sets,
 * HumanEval and MBPP. Installed names are remembered: a bundled set the user deleted stays deleted.
 */
export async function installBundledSets(db: LabDatabase, dir = BUNDLED_PROBLEMS_DIR): Promise<string[]> {
  const done = new Set(readSetting(db, INSTALLED_KEY, z.array(z.string())) ?? []);
  const installed: string[] = [];
  for (const path of bundledProblemFiles(dir)) {
    const name = setNameOf(path);
    if (done.has(name)) continue;
    if (!findProblemSet(db, name)) {
      const outcome = await importProblemFiles([{ path, bytes: readFileSync(path) }], { setName: name });
      if (!outcome.report.ok) {
        const first = outcome.report.errors[0];
        throw new Error(`bundled problem file is invalid: ${first ? formatImportMessage(first) : path}`);
      }
      saveProblemSet(db, {
        name,
        description: outcome.description,
        sourceFiles: [basename(path)],
        bundled: true,
        problems: outcome.problems,
      });
      installed.push(name);
    }
    done.add(name);
    writeSetting(db, INSTALLED_KEY, [...done]);
  }
  return installed;
}
