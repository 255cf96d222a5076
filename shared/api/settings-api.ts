import { z } from 'zod';
import { method } from './method.ts';

export const pythonSettingSchema = z.object({
  /** The interpreter saved in Settings (null: none saved). */
  saved: z.string().nullable(),
  /** LAB_PYTHON as the lab was started with it. */
  env: z.string().nullable(),
  /** What trainers and the executor use: saved, else LAB_PYTHON, else python3 on PATH. */
  requested: z.string(),
  /** The real executable and its version, when the requested one runs. */
  path: z.string().nullable(),
  version: z.string().nullable(),
  error: z.string().nullable(),
});
export type PythonSetting = z.infer<typeof pythonSettingSchema>;

export const backendReportSchema = z.object({
  requested: z.string(),
  /** The tfjs backend that loaded, or null when none did. */
  backend: z.string().nullable(),
  attempts: z.array(z.object({ choice: z.string(), backend: z.string(), ok: z.boolean(), reason: z.string().optional() })),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  error: z.string().nullable(),
});
export type BackendReportView = z.infer<typeof backendReportSchema>;

/** The settings page: the Python interpreter and the compute backend. */
export const settingsMethods = {
  'settings.python': method(z.object({}).optional(), pythonSettingSchema),
  /**
   * Validates the interpreter by running it, then saves it (null: forget the saved one). A path
   * that does not run is refused with the reason and nothing is saved.
   */
  'settings.setPython': method(z.strictObject({ path: z.string().trim().min(1).max(4096).nullable() }), pythonSettingSchema),
  /** Tries the tfjs backends in the order a trainer does: what loaded and why the others did not. */
  'lab.backends': method(z.object({}).optional(), backendReportSchema),
};
