import { installBundledSets } from '#lab/problems/bundled-sets.ts';
import { openDatabase, type LabDatabase } from '#lab/store/database.ts';
import { defaultDatabasePath } from '#lab/store/data-dir.ts';
import { markInterruptedRuns } from '#lab/store/experiments.ts';
import type { ParsedArgs } from './command.ts';

/**
 * The database a command works on (--db, else the app data folder's), with the bundled sets in and
 * runs whose trainer died marked interrupted.
 */
export async function openStore(args: ParsedArgs): Promise<LabDatabase> {
  const path = typeof args.values.db === 'string' ? args.values.db : defaultDatabasePath();
  const db = openDatabase(path);
  try {
    await installBundledSets(db);
    markInterruptedRuns(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
