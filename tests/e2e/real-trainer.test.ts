import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLabServer, type LabServer } from '../../electron/server/lab-server.ts';
import { ensureRendererBuilt } from '../../electron/server/renderer-build.ts';
import { launchBrowser, screenshot } from './support/browser.ts';

const TRAINING_LOOP = resolve(import.meta.dirname, '../../electron/lab/training/training-loop.ts');
const hasLoop = existsSync(TRAINING_LOOP);

/**
 * The same journey as lab-ui.test.ts with the real trainer process (tfjs + env + executor) on a
 * tiny budget. Skipped, with its reason, until the training loop exists.
 */
describe.skipIf(!hasLoop)(`real training in the browser${hasLoop ? '' : ' (skipped: electron/lab/training/training-loop.ts does not exist yet)'}`, () => {
  let dir: string;
  let server: LabServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  beforeAll(async () => {
    ensureRendererBuilt();
    dir = mkdtempSync(join(tmpdir(), 'lab-real-'));
    server = await startLabServer({ dbPath: join(dir, 'lab.sqlite'), port: 0 });
    browser = await launchBrowser();
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const points = (metric: string) =>
    page.locator(`[data-testid="chart"][data-metric="${metric}"]`).getAttribute('data-points').then((n) => Number(n ?? 0));
  const runStatus = () => page.locator('[data-testid="run-name"] [data-testid="status"]').textContent();

  it('trains for real: a chart gains points, then pause, resume, stop, reload', async () => {
    await page.goto(`${server.url.split('?')[0]}?token=${server.token}#/new`);
    await page.getByTestId('yaml-editor').locator('.monaco-editor').waitFor();
    await page.getByTestId('preset').selectOption('fast');
    await page.getByTestId('experiment-name-input').fill('real run');
    for (const [field, value] of [['training.num_episodes', '300'], ['agent.hidden_dim', '32'], ['agent.batch_size', '16'], ['training.log_frequency', '1']] as const) {
      await page.getByTestId(`cfg-${field}`).fill(value);
      await page.getByTestId(`cfg-${field}`).blur();
    }
    await page.getByTestId('create').click();
    await page.waitForURL(/#\/experiments\/\d+$/);
    const metric = 'charts/episodic_return';
    await page.locator(`[data-testid="chart"][data-metric="${metric}"]`).waitFor({ timeout: 120_000 });
    const first = await points(metric);
    await expect.poll(() => points(metric), { timeout: 120_000 }).toBeGreaterThan(first);
    await page.getByTestId('pause').click();
    await expect.poll(runStatus, { timeout: 60_000 }).toBe('paused');
    await page.getByTestId('resume').click();
    await expect.poll(runStatus, { timeout: 60_000 }).toBe('running');
    await page.getByTestId('stop').click();
    await expect.poll(runStatus, { timeout: 120_000 }).toBe('stopped');
    const shown = await points(metric);
    await page.reload();
    await expect.poll(runStatus, { timeout: 30_000 }).toBe('stopped');
    await expect.poll(() => points(metric), { timeout: 30_000 }).toBeGreaterThanOrEqual(Math.min(shown, 1));
    await screenshot(page, '10-real-training-dashboard');
  }, 480_000);
});
