import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabServer } from '../../electron/server/lab-server.ts';
import { screenshot } from './support/browser.ts';
import { openLabSession, type LabSession } from './support/lab-session.ts';
import { scriptedTrainerSpawner } from './support/scripted-trainer.ts';

/**
 * The lab in Chromium through the lab server, with the scripted trainer (the real protocol and
 * store, a scripted curve): create a run, watch it learn live, steer, pause, resume, stop, reload.
 */
describe('the lab UI in a browser', () => {
  let session: LabSession;
  let server: LabServer;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    session = await openLabSession('ui', { spawner: scriptedTrainerSpawner(80) });
    ({ server, page, pageErrors } = session);
  }, 120_000);

  afterAll(() => session?.close());

  const points = (metric: string) =>
    page.locator(`[data-testid="chart"][data-metric="${metric}"]`).getAttribute('data-points').then((n) => Number(n ?? 0));
  const runStatus = () => page.locator('[data-testid="run-name"] [data-testid="status"]').textContent();

  it('opens with the token URL and shows the empty experiment browser', async () => {
    await page.goto(server.url);
    expect(new URL(page.url()).search).toBe(''); // the token moved into a cookie
    await page.getByText('No experiments yet').waitFor();
    await screenshot(page, '01-experiments-empty');
  }, 60_000);

  it('edits a config in the form and sees the YAML and validation follow', async () => {
    await page.getByTestId('nav-new').click();
    await page.getByTestId('yaml-editor').locator('.monaco-editor').waitFor();
    await page.getByTestId('experiment-name-input').fill('e2e run');
    await page.getByTestId('problem-set').selectOption({ label: 'seed-train (8)' }).catch(() => page.getByTestId('problem-set').selectOption({ index: 0 }));
    await page.getByTestId('preset').selectOption('fast');
    const episodes = page.getByTestId('cfg-training.num_episodes');
    await episodes.fill('150');
    await episodes.blur();
    // Monaco renders spaces as no-break spaces. (Strings, not functions: this file has no DOM types.)
    await page.waitForFunction(
      `document.querySelector('[data-testid="yaml-editor"] .view-lines')?.textContent?.replace(/\\u00a0/g, ' ').includes('num_episodes: 150')`,
    );
    const lr = page.getByTestId('cfg-agent.learning_rate');
    await lr.fill('5');
    await lr.blur();
    await page.getByTestId('field-error').waitFor();
    expect(await page.getByTestId('field-error').textContent()).toBe('expected a number from 1e-7 to 1');
    expect(await page.getByTestId('create').isDisabled()).toBe(true);
    await screenshot(page, '02-new-experiment-invalid');
    await lr.fill('0.0005');
    await lr.blur();
    await page.getByTestId('config-status').getByText('config valid').waitFor();
    await screenshot(page, '03-new-experiment');
  }, 60_000);

  it('creates the run and watches its charts gain points live', async () => {
    await page.getByTestId('create').click();
    await page.waitForURL(/#\/experiments\/\d+$/);
    await page.locator('[data-testid="chart"][data-metric="charts/episodic_return"]').waitFor();
    await expect.poll(() => points('charts/episodic_return'), { timeout: 20_000 }).toBeGreaterThan(3);
    const before = await points('charts/episodic_return');
    await expect.poll(() => points('charts/episodic_return'), { timeout: 20_000 }).toBeGreaterThan(before);
    for (const metric of ['charts/success_rate', 'losses/td_loss', 'charts/epsilon', 'rewards/correctness', 'rewards/quality']) {
      expect(await points(metric)).toBeGreaterThan(0);
    }
  }, 60_000);

  it('steers epsilon, pauses, resumes and stops the run', async () => {
    await page.getByTestId('epsilon-input').fill('0.3');
    await page.getByTestId('set-epsilon').click();
    await page.getByText('ε set to 0.3').waitFor();
    await page.getByTestId('pause').click();
    await expect.poll(runStatus, { timeout: 15_000 }).toBe('paused');
    const paused = await points('charts/episodic_return');
    await screenshot(page, '04-dashboard-paused');
    expect(await points('charts/episodic_return')).toBe(paused);
    await page.getByTestId('resume').click();
    await expect.poll(runStatus, { timeout: 15_000 }).toBe('running');
    await expect.poll(() => points('charts/episodic_return'), { timeout: 20_000 }).toBeGreaterThan(paused);
    await page.getByTestId('stop').click();
    await expect.poll(runStatus, { timeout: 15_000 }).toBe('stopped');
    await page.getByTestId('resume-checkpoint').waitFor();
  }, 90_000);

  it('shows the same state after a reload', async () => {
    const shown = await points('charts/episodic_return');
    const episodes = await page.getByTestId('episodes').textContent();
    await page.reload();
    await expect.poll(runStatus, { timeout: 15_000 }).toBe('stopped');
    await expect.poll(() => points('charts/episodic_return'), { timeout: 15_000 }).toBe(shown);
    expect(await page.getByTestId('episodes').textContent()).toBe(episodes);
    expect(await page.getByTestId('solved').locator('details').count()).toBeGreaterThan(0);
    await screenshot(page, '05-dashboard-after-reload');
  }, 60_000);

  it('lists the run in the browser, searches, filters and renames it', async () => {
    await page.getByTestId('nav-experiments').click();
    const row = page.getByTestId('experiment-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('status').textContent()).toBe('stopped');
    await page.getByTestId('search').fill('no such run');
    await expect.poll(() => row.count()).toBe(0);
    await page.getByTestId('search').fill('e2e');
    await expect.poll(() => row.count()).toBe(1);
    await row.getByRole('button', { name: 'Rename' }).click();
    await page.getByTestId('edit-input').fill('e2e run renamed');
    await page.getByTestId('edit-input').press('Enter');
    await expect.poll(() => row.getByTestId('experiment-name').textContent()).toBe('e2e run renamed');
    await screenshot(page, '06-experiments-list');
    await page.getByTestId('theme-toggle').click();
    await expect.poll(() => page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await screenshot(page, '07-experiments-list-dark');
    await row.getByTestId('experiment-name').click();
    await page.locator('[data-testid="chart"]').first().waitFor();
    await screenshot(page, '08-dashboard-dark');
  }, 60_000);

  it('deletes only after confirmation', async () => {
    await page.getByTestId('nav-experiments').click();
    const row = page.getByTestId('experiment-row');
    await row.getByTestId('delete').click();
    await page.getByTestId('confirm-dialog').waitFor();
    await screenshot(page, '09-delete-confirmation');
    await page.getByTestId('confirm').click();
    await expect.poll(() => row.count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
