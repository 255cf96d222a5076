import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startLabServer, type LabServer, type LabServerOptions } from '../../../electron/server/lab-server.ts';
import { ensureRendererBuilt } from '../../../electron/server/renderer-build.ts';
import { launchBrowser } from './browser.ts';

/** A lab server on a fresh database with Chromium pointed at it: what every UI suite starts from. */
export interface LabSession {
  readonly dir: string;
  readonly server: LabServer;
  readonly page: Page;
  /** Uncaught errors of the page; suites assert it stays empty. */
  readonly pageErrors: string[];
  close(): Promise<void>;
}

export async function openLabSession(
  name: string,
  options: Omit<LabServerOptions, 'dbPath' | 'port'> = {},
  /** Runs against the server before the browser starts (e.g. finishing runs to compare). */
  prepare?: (server: LabServer, dbPath: string) => Promise<void>,
): Promise<LabSession> {
  ensureRendererBuilt();
  const dir = mkdtempSync(join(tmpdir(), `lab-${name}-`));
  const dbPath = join(dir, 'lab.sqlite');
  const server = await startLabServer({ ...options, dbPath, port: 0 });
  await prepare?.(server, dbPath);
  const browser = await launchBrowser();
  const pageErrors: string[] = [];
  browser.page.on('pageerror', (error) => pageErrors.push(error.message));
  return {
    dir,
    server,
    page: browser.page,
    pageErrors,
    async close() {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
