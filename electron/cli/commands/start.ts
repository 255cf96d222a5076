import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { findElectronBinary } from '#lab/electron-binary.ts';
import { PROJECT_ROOT } from '#lab/paths.ts';
import { ensureAppBuilt } from '../../server/renderer-build.ts';
import { EXIT, type Command, type CommandIo } from '../command.ts';
import { downloadProgress } from '../electron-download/download-progress.ts';
import { electronVersion, runElectronInstaller } from '../electron-download/run-electron-installer.ts';
import { SERVE_OPTIONS, serveLab } from './serve.ts';

export const FALLBACK_SUFFIX = '; serving the lab in your browser instead (npm run serve).';

/**
 * The Electron binary, fetched by the electron package's own installer where it is missing (the
 * package downloads it lazily, on first use). Undefined, after one line saying why, where it
 * cannot be had.
 */
async function electronBinary(io: CommandIo): Promise<string | undefined> {
  const binary = findElectronBinary();
  if (binary) return binary;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    io.err(`No Electron in ELECTRON_OVERRIDE_DIST_PATH (${process.env.ELECTRON_OVERRIDE_DIST_PATH})${FALLBACK_SUFFIX}`);
    return undefined;
  }
  io.err(`Electron ${electronVersion()} is not installed yet: fetching it once (set ELECTRON_MIRROR to use a mirror)...`);
  const progress = downloadProgress(io);
  const outcome = await runElectronInstaller({ onProgress: (p) => progress.show(p) });
  progress.end();
  if (outcome.ok) return outcome.binary;
  io.err(`Electron could not be downloaded (${outcome.reason})${FALLBACK_SUFFIX}`);
  return undefined;
}

export const startCommand: Command = {
  name: 'start',
  summary: 'the desktop app (Electron, fetched on first use), or the lab server where Electron cannot be had',
  usage: `usage: lab start [--db PATH] [--port N] [--no-open]

Builds and opens the desktop app. Where the Electron binary is missing, runs the electron package's
installer (from GitHub, or ELECTRON_MIRROR / electron_mirror) with its progress shown; where that
fails (offline, a refused download), says why in one line and starts the lab server (see
\`lab serve --help\`) with its URL printed.`,
  options: SERVE_OPTIONS,
  async run(args, io) {
    const binary = await electronBinary(io);
    if (!binary) return serveLab(args, io);
    ensureAppBuilt((line) => io.err(line));
    const env = {
      ...process.env,
      // The app's engine host runs on this Node, which built the native addons.
      LAB_NODE_PATH: process.execPath,
      ...(typeof args.values.db === 'string' ? { LAB_DB_PATH: args.values.db } : {}),
    };
    const child = spawn(join(PROJECT_ROOT, 'node_modules', '.bin', 'electron-vite'), ['preview'], { cwd: PROJECT_ROOT, stdio: 'inherit', env });
    return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? EXIT.ok)));
  },
};
