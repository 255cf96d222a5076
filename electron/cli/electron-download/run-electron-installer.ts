import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { findElectronBinary } from '#lab/electron-binary.ts';
import { PROJECT_ROOT } from '#lab/paths.ts';

const HOOK = fileURLToPath(new URL('./installer-hook.cjs', import.meta.url));

const installerReportSchema = z.object({
  type: z.enum(['request', 'response', 'bytes', 'done']),
  url: z.string(),
  status: z.number().optional(),
  bytes: z.number().optional(),
  total: z.number().nullable().optional(),
});
export type InstallerReport = z.infer<typeof installerReportSchema>;

export interface InstallProgress {
  url: string;
  bytes: number;
  total: number | null;
  seconds: number;
}

export interface InstallOptions {
  root?: string;
  env?: NodeJS.ProcessEnv;
  /** A request that gets no answer within this long is given up (offline, a black-holed route). */
  answerTimeoutMs?: number;
  /** A download that receives nothing for this long is given up. */
  stallTimeoutMs?: number;
  /** The whole install, extraction included, never takes longer than this. */
  totalTimeoutMs?: number;
  onProgress?: (progress: InstallProgress) => void;
}

export type InstallOutcome = { ok: true; binary: string } | { ok: false; reason: string };

export const DEFAULT_ANSWER_TIMEOUT_MS = 7_000;

/** The version the electron package installs, for messages. */
export function electronVersion(root = PROJECT_ROOT): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The installer's own reason: the last error line it printed (it prints the error's stack). */
function reasonFrom(stderr: string, code: number | null): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const error = lines.filter((l) => /^[\w.]*(Error|Exception)\b.*:/.test(l)).at(-1);
  return error ?? lines.filter((l) => !l.startsWith('at ')).at(-1) ?? `the installer exited with code ${code}`;
}

/**
 * Runs the electron package's own installer (node_modules/electron/install.js: @electron/get,
 * which honours ELECTRON_MIRROR / electron_mirror and checks the package's checksums.json) with a
 * bounded wait, and says where the binary is or why there is none.
 */
export function runElectronInstaller(options: InstallOptions = {}): Promise<InstallOutcome> {
  const root = options.root ?? PROJECT_ROOT;
  const env = options.env ?? process.env;
  const installer = join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return Promise.resolve({ ok: false, reason: 'the electron package is not installed (run npm install)' });
  const answerTimeoutMs = options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
  const stallTimeoutMs = options.stallTimeoutMs ?? 30_000;
  const totalTimeoutMs = options.totalTimeoutMs ?? 30 * 60_000;
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', HOOK, installer], {
      cwd: root,
      env: { ...env, ELECTRON_GET_NO_PROGRESS: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let givenUp: string | undefined;
    let waiting: { url: string; since: number } | undefined;
    let downloading: { url: string; bytes: number; total: number | null; since: number } | undefined;
    const giveUp = (reason: string) => {
      givenUp ??= reason;
      child.kill('SIGKILL');
    };
    child.on('message', (raw: unknown) => {
      const parsed = installerReportSchema.safeParse(raw);
      if (!parsed.success) return;
      const report = parsed.data;
      const now = Date.now();
      if (report.type === 'request') waiting = { url: report.url, since: now };
      else if (report.type === 'response') {
        waiting = undefined;
        downloading = { url: report.url, bytes: 0, total: report.total ?? null, since: now };
      } else if (downloading && report.type === 'bytes') downloading = { ...downloading, bytes: report.bytes ?? 0, since: now };
      else if (report.type === 'done') downloading = undefined;
      if (report.type !== 'request') {
        options.onProgress?.({ url: report.url, bytes: report.bytes ?? 0, total: report.total ?? null, seconds: (now - started) / 1000 });
      }
    });
    const watchdog = setInterval(() => {
      const now = Date.now();
      if (waiting && now - waiting.since > answerTimeoutMs) giveUp(`no answer from ${new URL(waiting.url).host} within ${answerTimeoutMs / 1000} s (offline?)`);
      else if (downloading && now - downloading.since > stallTimeoutMs) giveUp(`the download from ${new URL(downloading.url).host} stalled for ${stallTimeoutMs / 1000} s`);
      else if (now - started > totalTimeoutMs) giveUp(`the install took over ${Math.round(totalTimeoutMs / 60_000)} min`);
    }, 200);
    child.on('error', (error) => giveUp(error.message));
    child.on('exit', (code) => {
      clearInterval(watchdog);
      if (givenUp) return resolve({ ok: false, reason: givenUp });
      if (code !== 0) return resolve({ ok: false, reason: reasonFrom(stderr, code) });
      const binary = findElectronBinary(env, root);
      resolve(binary ? { ok: true, binary } : { ok: false, reason: 'the installer finished, but no Electron binary is in node_modules/electron/dist' });
    });
  });
}
