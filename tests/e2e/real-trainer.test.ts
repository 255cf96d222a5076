import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabServer } from '../../electron/server/lab-server.ts';
import { screenshot } from './support/browser.ts';
import { openLabSession, type LabSession } from './support/lab-session.ts';

/**
 * The same journey as lab-ui.test.ts with the real trainer process (tfjs + env + executor) on a
 * tiny budget.
 */
describe('real training in the browser', () => {
  let session: LabSession;
  let server: LabServer;
  let page: Page;

  beforeAll(async () => {
    session = await openLabSession('real');
    ({ server, page } = session);
  }, 120_000);

  afterAll(() => session?.close());

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
