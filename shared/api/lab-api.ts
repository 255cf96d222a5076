import { z } from 'zod';
import { method } from './method.ts';

export const THEMES = ['light', 'dark', 'system'] as const;

export const uiSettingsSchema = z.object({ theme: z.enum(THEMES) });
export type UiSettings = z.infer<typeof uiSettingsSchema>;
export const DEFAULT_UI_SETTINGS: UiSettings = { theme: 'system' };

export const labInfoSchema = z.object({
  version: z.string(),
  /** The compute backend of the latest run (null before any run: it is chosen when a trainer starts). */
  backend: z.string().nullable(),
  python: z.object({ path: z.string().nullable(), version: z.string().nullable(), error: z.string().nullable() }),
  data_dir: z.string(),
  db_path: z.string(),
  running: z.array(z.number().int()),
});
export type LabInfo = z.infer<typeof labInfoSchema>;

/** Settings of the UI and facts about the lab. */
export const labMethods = {
  'settings.get': method(z.object({}).optional(), uiSettingsSchema),
  'settings.set': method(uiSettingsSchema.partial().strict(), uiSettingsSchema),
  'lab.info': method(z.object({}).optional(), labInfoSchema),
};
