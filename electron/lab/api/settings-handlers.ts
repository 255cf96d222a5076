import { ApiError } from '#shared/api/api-error.ts';
import type { BackendReportView, PythonSetting, settingsMethods } from '#shared/api/settings-api.ts';
import { resolvePython } from '#lab/python/interpreter.ts';
import { writeSetting } from '#lab/store/settings.ts';
import type { ApiContext } from './api-context.ts';
import type { HandlerMap } from './handler-map.ts';
import { PYTHON_SETTING_KEY } from './lab-services.ts';

function pythonState(ctx: ApiContext): PythonSetting {
  const requested = ctx.services.requestedPython();
  const base = { saved: ctx.services.savedPython(), env: ctx.services.envPython, requested };
  try {
    const found = resolvePython(requested);
    return { ...base, path: found.path, version: found.version, error: null };
  } catch (error) {
    return { ...base, path: null, version: null, error: (error as Error).message };
  }
}

let backendReport: Promise<BackendReportView> | undefined;

/** Loads tfjs once in this process, on first ask (trainers select their own backend as they start). */
function backends(): Promise<BackendReportView> {
  backendReport ??= import('#lab/models/backend.ts').then(
    async ({ selectBackend }) => {
      try {
        const r = await selectBackend('auto');
        return { requested: r.requested, backend: r.backend, attempts: r.attempts.map((a) => ({ ...a })), details: { ...r.details }, error: null };
      } catch (error) {
        return { requested: 'auto', backend: null, attempts: [], details: {}, error: (error as Error).message };
      }
    },
  );
  return backendReport;
}

export const settingsHandlers: HandlerMap<keyof typeof settingsMethods> = {
  'settings.python': (_input, ctx) => pythonState(ctx),
  'settings.setPython': ({ path }, ctx) => {
    if (path !== null) {
      try {
        resolvePython(path);
      } catch (error) {
        throw new ApiError('invalid_input', (error as Error).message, [{ path: 'path', message: 'this interpreter does not run' }]);
      }
    }
    writeSetting(ctx.db, PYTHON_SETTING_KEY, { path });
    ctx.services.applyPython(path);
    return pythonState(ctx);
  },
  'lab.backends': () => backends(),
};
