import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from '#lab/electron-binary.ts';
import { PROJECT_ROOT } from '#lab/paths.ts';
import { FALLBACK_SUFFIX } from './start.ts';

/**
 * `lab start` where the Electron binary is missing: it runs the electron package's installer
 * against ELECTRON_MIRROR (here a server on 127.0.0.1, never the internet), and where that fails
 * says why in one line and serves the lab instead.
 */
const LAB = join(PROJECT_ROOT, 'electron', 'cli', 'lab.js');
const dirs: string[] = [];

interface Started {
  /** Milliseconds from the line announcing the download to the fallback line. */
  fallbackAfterMs: number;
  stderr: string[];
  url: string;
  stop(): Promise<number | null>;
}

function labStart(mirror: string): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'lab-start-'));
  dirs.push(dir);
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_MIRROR: mirror, electron_config_cache: join(dir, 'cache'), LAB_DATA_DIR: dir };
  delete env.ELECTRON_OVERRIDE_DIST_PATH;
  const child = spawn(process.execPath, [LAB, 'start', '--no-open', '--port', '0', '--db', join(dir, 'lab.sqlite')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  let fallbackAfterMs = -1;
  let fetching = 0;
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    // From the moment the download starts: the CLI's own start-up is not the installer's wait.
    if (!fetching && stderr.includes('fetching it once')) fetching = Date.now();
    if (fallbackAfterMs < 0 && stderr.includes(FALLBACK_SUFFIX)) fallbackAfterMs = Date.now() - fetching;
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /running at (\S+)/.exec(stdout)?.[1];
      if (url) {
        resolve({
          fallbackAfterMs,
          stderr: stderr.trim().split('\n'),
          url,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`lab start exited (${code}) without serving:\n${stderr}`)));
  });
}

/** Opens the printed URL as a browser would: the token becomes a cookie, then the page. */
async function openPage(url: string): Promise<{ status: number; text: string }> {
  const redirect = await fetch(url, { redirect: 'manual' });
  const cookie = (redirect.headers.get('set-cookie') ?? '').split(';')[0]!;
  const page = await fetch(new URL(redirect.headers.get('location') ?? '/', url), { headers: { cookie } });
  return { status: page.status, text: await page.text() };
}

async function loopbackServer(handler: (url: string) => void): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    handler(request.url ?? '');
    response.writeHead(404).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` };
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// Where a developer has Electron installed in this checkout, `lab start` would open it instead.
describe.skipIf(findElectronBinary() !== undefined)('lab start without the Electron binary', () => {
  it('fetches Electron from ELECTRON_MIRROR, then says why not in one line and serves the lab', async () => {
    const requests: string[] = [];
    const mirror = await loopbackServer((url) => requests.push(url));
    try {
      const lab = await labStart(mirror.url);
      try {
        expect(requests).toEqual([expect.stringMatching(/^\/v[\d.]+\/electron-v[\d.]+-\w+-\w+\.zip$/)]);
        const failure = lab.stderr.filter((line) => line.startsWith('Electron could not be downloaded'));
        expect(failure).toEqual([`Electron could not be downloaded (HTTPError: Response code 404 (Not Found) for ${mirror.url}${requests[0]!.slice(1)})${FALLBACK_SUFFIX}`]);
        const page = await openPage(lab.url);
        expect(page.status).toBe(200);
        expect(page.text).toContain('<div id="app">');
      } finally {
        expect(await lab.stop()).toBe(0);
      }
    } finally {
      mirror.server.close();
    }
  }, 60_000);

  it('falls back within 10 s where there is no network', async () => {
    const gone = await loopbackServer(() => {});
    await new Promise<void>((resolve) => gone.server.close(() => resolve()));
    const lab = await labStart(gone.url);
    try {
      expect(lab.fallbackAfterMs).toBeGreaterThan(0);
      expect(lab.fallbackAfterMs).toBeLessThan(10_000);
      expect(lab.stderr.filter((line) => line.endsWith(FALLBACK_SUFFIX))).toEqual([expect.stringMatching(/ECONNREFUSED/)]);
      expect((await openPage(lab.url)).status).toBe(200);
    } finally {
      expect(await lab.stop()).toBe(0);
    }
  }, 60_000);
});
