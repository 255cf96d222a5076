import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLabServer, type LabServer } from '../../electron/server/lab-server.ts';
import { ensureRendererBuilt } from '../../electron/server/renderer-build.ts';
import { launchBrowser } from './support/browser.ts';

/** The page's event stream survives a server restart: it reconnects and shows new events again. */
describe('WebSocket reconnect after a lab server restart', () => {
  let dir: string;
  let server: LabServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    ensureRendererBuilt();
    dir = mkdtempSync(join(tmpdir(), 'lab-reconnect-'));
    server = await startLabServer({ dbPath: join(dir, 'lab.sqlite'), port: 0, token: 'restart-token' });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the disconnection, reconnects, and receives events from the new server', async () => {
    const { page } = browser;
    const port = server.port;
    await page.goto(server.url);
    await page.getByText('No experiments yet').waitFor();
    await server.close();
    await page.getByTestId('connection').waitFor();
    server = await startLabServer({ dbPath: join(dir, 'lab.sqlite'), port, token: 'restart-token' });
    expect(server.port).toBe(port);
    await page.getByTestId('connection').waitFor({ state: 'detached', timeout: 15_000 });
    const sets = await server.api.call('problemSets.list', {});
    const setId = sets.ok ? (sets.result as { id: number }[])[0]!.id : 0;
    const created = await server.api.call('experiments.create', { name: 'after restart', problem_set_id: setId, config: {}, start: false });
    expect(created.ok).toBe(true);
    await page.getByTestId('experiment-name').filter({ hasText: 'after restart' }).waitFor({ timeout: 15_000 });
  }, 90_000);
});
