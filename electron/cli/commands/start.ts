import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { findElectronBinary } from '#lab/electron-binary.ts';
import { PROJECT_ROOT } from '#lab/paths.ts';
import { ensureRendererBuilt } from '../../server/renderer-build.ts';
import { EXIT, type Command } from '../command.ts';
import { SERVE_OPTIONS, serveLab } from './serve.ts';

export const ELECTRON_MISSING_LINE =
  'Electron binary missing (node_modules/electron/dist is not installed: Electron downloads it from GitHub on first use, ' +
  'which this machine cannot reach); starting the lab server instead (npm run serve).';

export const startCommand: Command = {
  name: 'start',
  summary: 'the desktop app (Electron), or the lab server where the Electron binary is missing',
  usage: `usage: lab start [--db PATH] [--port N] [--no-open]

Builds and opens the desktop app. Where the Electron binary is not installed, says so in one line
and starts the lab server (see \`lab serve --help\`) with its URL printed.`,
  options: SERVE_OPTIONS,
  async run(args, io) {
    // Never resolve the electron package from Node here: that starts a download (docs/toolchain.md, "The Electron binary").
    const binary = findElectronBinary();
    if (!binary) {
      io.err(ELECTRON_MISSING_LINE);
      return serveLab(args, io);
    }
    ensureRendererBuilt((line) => io.err(line));
    const env = { ...process.env, ...(typeof args.values.db === 'string' ? { LAB_DB_PATH: args.values.db } : {}) };
    const child = spawn(join(PROJECT_ROOT, 'node_modules', '.bin', 'electron-vite'), ['preview'], { cwd: PROJECT_ROOT, stdio: 'inherit', env });
    return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? EXIT.ok)));
  },
};
