import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#lab/paths.ts';
import { DEFAULT_ANSWER_TIMEOUT_MS, runElectronInstaller, type InstallProgress } from './run-electron-installer.ts';

/**
 * The electron package's own installer, run by `lab start`, against mirrors on 127.0.0.1 (never the
 * internet): a copy of the package in a scratch project, so the real node_modules is never touched.
 */
const VERSION = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
const ZIP = new RegExp(`^/v${VERSION.replace(/\./g, '\\.')}/electron-v${VERSION.replace(/\./g, '\\.')}-${process.platform}-${process.arch}\\.zip$`);
const scratch: string[] = [];
const servers: Server[] = [];

function scratchProject(): { root: string; cache: string } {
  const root = mkdtempSync(join(tmpdir(), 'lab-electron-install-'));
  scratch.push(root);
  const packageDir = join(root, 'node_modules', 'electron');
  mkdirSync(packageDir, { recursive: true });
  for (const file of ['install.js', 'package.json', 'checksums.json']) cpSync(join(PROJECT_ROOT, 'node_modules', 'electron', file), join(packageDir, file));
  for (const scope of ['@electron', '@electron-internal']) symlinkSync(join(PROJECT_ROOT, 'node_modules', scope), join(root, 'node_modules', scope));
  return { root, cache: join(root, 'cache') };
}

async function mirror(handler: (path: string, respond: (status: number, body: Buffer | string) => void) => void): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    handler(request.url ?? '', (status, body) => response.writeHead(status, { 'content-length': Buffer.byteLength(body) }).end(body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, requests };
}

function installerEnv(cache: string, mirrorUrl: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_MIRROR: mirrorUrl, electron_config_cache: cache, ...extra };
  delete env.ELECTRON_OVERRIDE_DIST_PATH;
  return env;
}

afterEach(() => {
  for (const server of servers.splice(0)) server.closeAllConnections(), server.close();
});

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('runElectronInstaller', () => {
  it('fetches from ELECTRON_MIRROR and reports the mirror\'s refusal', async () => {
    const { root, cache } = scratchProject();
    const served = await mirror((_path, respond) => respond(404, 'no such release'));
    const outcome = await runElectronInstaller({ root, env: installerEnv(cache, served.url) });
    expect(served.requests).toEqual([expect.stringMatching(ZIP)]);
    expect(outcome).toEqual({ ok: false, reason: `HTTPError: Response code 404 (Not Found) for ${served.url}${served.requests[0]!.slice(1)}` });
  }, 30_000);

  it('refuses a download that does not match the package\'s checksums, and installs nothing', async () => {
    const { root, cache } = scratchProject();
    const served = await mirror((_path, respond) => respond(200, Buffer.alloc(300_000, 7)));
    const progress: InstallProgress[] = [];
    const outcome = await runElectronInstaller({ root, env: installerEnv(cache, served.url), onProgress: (p) => progress.push(p) });
    expect(outcome).toEqual({ ok: false, reason: expect.stringMatching(/checksum/i) });
    expect(progress.at(-1)).toMatchObject({ bytes: 300_000, total: 300_000 });
    expect(existsSync(join(root, 'node_modules', 'electron', 'path.txt'))).toBe(false);
  }, 30_000);

  it('gives up at once, with the network\'s reason, where nothing listens', async () => {
    const { root, cache } = scratchProject();
    const closed = await mirror(() => {});
    const url = closed.url;
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    const started = Date.now();
    const outcome = await runElectronInstaller({ root, env: installerEnv(cache, url) });
    expect(outcome).toEqual({ ok: false, reason: expect.stringMatching(/^Error: fetch failed for http:\/\/127\.0\.0\.1:\d+\/.*: connect ECONNREFUSED 127\.0\.0\.1:\d+$/) });
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);

  it('gives up on a network that never answers, within 10 s', async () => {
    const { root, cache } = scratchProject();
    const sockets: Socket[] = [];
    const blackHole = createTcpServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const port = (blackHole.address() as { port: number }).port;
    try {
      const started = Date.now();
      const outcome = await runElectronInstaller({ root, env: installerEnv(cache, `http://127.0.0.1:${port}/`) });
      expect(outcome).toEqual({ ok: false, reason: `no answer from 127.0.0.1:${port} within ${DEFAULT_ANSWER_TIMEOUT_MS / 1000} s (offline?)` });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(sockets.length).toBe(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      blackHole.close();
    }
  }, 30_000);

  it('installs a binary that the mirror serves with matching checksums', async () => {
    const { root, cache } = scratchProject();
    const name = `electron-v${VERSION}-${process.platform}-${process.arch}.zip`;
    const staging = mkdtempSync(join(tmpdir(), 'lab-electron-zip-'));
    scratch.push(staging);
    writeFileSync(join(staging, 'electron'), '#!/bin/sh\necho stand-in electron\n', { mode: 0o755 });
    writeFileSync(join(staging, 'version'), VERSION);
    execFileSync('python3', ['-c', `import zipfile,sys\nwith zipfile.ZipFile(sys.argv[1],'w') as z:\n  for f in ('electron','version'):\n    i=zipfile.ZipInfo(f); i.external_attr=0o755<<16; z.writestr(i, open(sys.argv[2]+'/'+f,'rb').read())`, join(staging, name), staging]);
    const zip = readFileSync(join(staging, name));
    const sums = `${createHash('sha256').update(zip).digest('hex')} *${name}\n`;
    const served = await mirror((path, respond) => (path.endsWith('/SHASUMS256.txt') ? respond(200, sums) : ZIP.test(path) ? respond(200, zip) : respond(404, '')));
    const outcome = await runElectronInstaller({ root, env: installerEnv(cache, served.url, { electron_use_remote_checksums: '1' }) });
    const binary = join(root, 'node_modules', 'electron', 'dist', 'electron');
    expect(outcome).toEqual({ ok: true, binary });
    expect(statSync(binary).mode & 0o111).not.toBe(0);
    expect(served.requests).toEqual(expect.arrayContaining([expect.stringMatching(ZIP), `/v${VERSION}/SHASUMS256.txt`]));
  }, 60_000);
});
