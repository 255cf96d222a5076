import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_UI_SETTINGS, uiSettingsSchema, type labMethods } from '#shared/api/lab-api.ts';
import { PROJECT_ROOT } from '#lab/paths.ts';
import { resolvePython } from '#lab/python/interpreter.ts';
import { readSetting, writeSetting } from '#lab/store/settings.ts';
import type { HandlerMap } from './handler-map.ts';

const UI_SETTINGS_KEY = 'ui';

function labVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function python() {
  try {
    const found = resolvePython();
    return { path: found.path, version: found.version, error: null };
  } catch (error) {
    return { path: null, version: null, error: (error as Error).message };
  }
}

export const labHandlers: HandlerMap<keyof typeof labMethods> = {
  'settings.get': (_input, ctx) => readSetting(ctx.db, UI_SETTINGS_KEY, uiSettingsSchema) ?? DEFAULT_UI_SETTINGS,
  'settings.set': (input, ctx) => {
    const next = { ...(readSetting(ctx.db, UI_SETTINGS_KEY, uiSettingsSchema) ?? DEFAULT_UI_SETTINGS), ...input };
    writeSetting(ctx.db, UI_SETTINGS_KEY, next);
    ctx.emit({ name: 'SettingsChanged', payload: next });
    return next;
  },
  'lab.info': (_input, ctx) => {
    const latest = ctx.db.prepare('SELECT backend FROM experiments WHERE backend IS NOT NULL ORDER BY id DESC LIMIT 1').get() as
      | { backend: string }
      | undefined;
    return {
      version: labVersion(),
      backend: latest?.backend ?? null,
      python: python(),
      data_dir: dirname(ctx.dbPath),
      db_path: ctx.dbPath,
      running: ctx.trainers.running(),
    };
  },
};
