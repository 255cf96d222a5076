import type { z } from 'zod';
import type { LabDatabase } from './database.ts';

/** Reads a setting, parsed by its schema at this boundary; undefined when unset or unreadable. */
export function readSetting<T>(db: LabDatabase, key: string, schema: z.ZodType<T>): T | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  if (!row) return undefined;
  const parsed = schema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : undefined;
}

export function writeSetting(db: LabDatabase, key: string, value: unknown): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    key,
    JSON.stringify(value),
  );
}
