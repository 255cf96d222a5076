import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSweepRuns } from '#lab/bench/sweep-runs.ts';
import { openDatabase } from '#lab/store/database.ts';
import { updateExperimentInfo } from '#lab/store/experiments.ts';
import { screenshot } from './support/browser.ts';
import { openLabSession, type LabSession } from './support/lab-session.ts';

/** Compare at sweep scale: 200 runs, a grid of metrics, groups, a legend that stays usable. */
describe('compare at sweep scale in a browser', () => {
  let session: LabSession;
  let page: Page;
  let base: string;
  let ids: number[] = [];

  beforeAll(async () => {
    session = await openLabSession('sweep', {}, async (_server, dbPath) => {
      const db = openDatabase(dbPath);
      ids = writeSweepRuns(db, { runs: 200, points: 500, metrics: ['charts/episodic_return', 'charts/success_rate', 'losses/td_loss'], seedsPerValue: 10 });
      updateExperimentInfo(db, ids[0]!, { name: 'baseline raw', tags: [], notes: '' });
      db.close();
    });
    page = session.page;
    base = session.server.url.split('#')[0]!;
  }, 120_000);

  afterAll(() => session?.close());

  const chart = () => page.getByTestId('compare-chart').first();

  it('takes 200 runs and groups them by seed into one line per learning rate', async () => {
    await page.goto(`${base}#/compare?ids=${ids.join(',')}`);
    await expect.poll(() => chart().getAttribute('data-lines'), { timeout: 30_000 }).toBe('20');
    expect(await page.getByTestId('compare-notice').count()).toBe(0);
    expect(await page.getByTestId('legend-item').count()).toBe(20);
    await page.getByTestId('group-by').selectOption('none');
    await expect.poll(() => chart().getAttribute('data-lines'), { timeout: 30_000 }).toBe('200');
    await screenshot(page, '40-compare-200-runs');
  }, 90_000);

  it('lists a run named "... raw" in the legend, finds runs by search, hides and shows them', async () => {
    const items = page.getByTestId('legend-item');
    await page.getByTestId('legend-search').fill('baseline');
    await expect.poll(() => items.locator('.label').allTextContents()).toEqual(['baseline raw']);
    await page.getByTestId('legend-search').fill('lr 0.0003 ');
    await expect.poll(() => items.count()).toBe(10);
    await page.getByTestId('legend-hide-all').click();
    await expect.poll(() => chart().getAttribute('data-lines')).toBe('190');
    await items.first().hover();
    await expect.poll(() => items.first().getAttribute('class')).toContain('lit');
    await page.getByTestId('legend-show-all').click();
    await expect.poll(() => chart().getAttribute('data-lines')).toBe('200');
  }, 60_000);

  it('says so when asked for more runs than compare takes or for runs that do not exist, and shows the rest', async () => {
    await page.goto(`${base}#/compare?ids=${ids.slice(0, 3).join(',')},999999`);
    await expect.poll(() => page.getByTestId('compare-notice').textContent(), { timeout: 30_000 }).toBe('No experiment 999999: left out.');
    await page.getByTestId('group-by').selectOption('none');
    await expect.poll(() => chart().getAttribute('data-lines'), { timeout: 30_000 }).toBe('3');
  }, 60_000);

  it('draws three metrics as a grid sharing the x axis, and a zoom on one panel zooms them all', async () => {
    await page.goto(`${base}#/compare?ids=${ids.slice(0, 40).join(',')}`);
    await page.getByTestId('layout-grid').click();
    const panels = page.getByTestId('compare-grid').getByTestId('compare-chart');
    await expect.poll(() => panels.evaluateAll((els) => els.map((e) => e.getAttribute('data-metric'))), { timeout: 30_000 })
      .toEqual(['charts/episodic_return', 'charts/success_rate', 'losses/td_loss']);
    await expect.poll(() => panels.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-points')) > 0))).toEqual([true, true, true]);
    await page.getByTestId('smoothing').fill('0.9');
    const box = (await panels.nth(1).boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('reset-zoom').isEnabled()).toBe(true);
    await page.waitForTimeout(500);
    await screenshot(page, '41-compare-grid-three-metrics-zoomed');
    expect(session.pageErrors).toEqual([]);
  }, 60_000);
});
