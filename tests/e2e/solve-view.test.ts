import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabServer } from '../../electron/server/lab-server.ts';
import { screenshot } from './support/browser.ts';
import { openLabSession, type LabSession } from './support/lab-session.ts';
import { apiCall } from './support/lab-fixtures.ts';

const numbered = (n: number, docstring: string, tests: [number, number][]) => ({ name: `tiny/${n}`, function_name: `f${n}`, docstring, parameters: ['n'], test_cases: tests });
const TINY = {
  name: 'tiny',
  problems: [numbered(1, 'Return n.', [[1, 1], [5, 5]]), numbered(2, 'Return -n.', [[3, -3], [0, 0]]), numbered(3, 'Return n plus one.', [[1, 2], [4, 5]])],
};

/** The Solve view: start a run from the form, watch its results arrive, read a found program. */
describe('solve runs in a browser', () => {
  let session: LabSession;
  let server: LabServer;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    session = await openLabSession('solve', {}, async (lab) => {
      await apiCall(lab, 'problemSets.import', { files: [{ name: 'tiny.json', content: JSON.stringify(TINY) }] });
    });
    ({ server, page, pageErrors } = session);
    await page.goto(server.url);
  }, 120_000);

  afterAll(() => session?.close());

  it('refuses a budget out of range before asking the lab', async () => {
    await page.getByTestId('nav-solve').click();
    await page.getByTestId('no-solve-runs').waitFor();
    await page.getByTestId('solve-budget').fill('0');
    expect(await page.getByTestId('solve-form-problem').textContent()).toBe('budget: the budget is at least 1 executed program');
    expect(await page.getByTestId('solve-start').isDisabled()).toBe(true);
  }, 60_000);

  it('starts a run on a task range and shows each agent\'s results and programs as they come', async () => {
    await page.getByTestId('solve-set').selectOption('tiny');
    await page.getByTestId('solve-tasks-first').fill('1');
    await page.getByTestId('solve-tasks-last').fill('2');
    await page.getByTestId('solve-budget').fill('30');
    await page.getByTestId('solve-agent-pretrained').uncheck();
    await page.getByTestId('solve-start').click();
    await page.waitForURL(/#\/solve\/\d+$/);
    await expect.poll(() => page.getByTestId('solve-detail').getByTestId('status').textContent(), { timeout: 60_000 }).toBe('done');
    expect(await page.getByTestId('solve-summary-row').locator('td').first().allTextContents()).toEqual(['enumerate-oe']);
    expect(await page.locator('[data-testid="solve-summary-row"][data-agent="enumerate-oe"] td').nth(1).textContent()).toBe('2/2');
    expect(await page.getByTestId('solve-problem-row').locator('td:first-child').allTextContents()).toEqual(['tiny/1', 'tiny/2']);
    // The budget curve: one line per agent, enumerate-oe's reaching both problems.
    const curve = page.getByTestId('solve-curve');
    expect(await curve.getAttribute('data-lines')).toBe('2');
    expect((await curve.getAttribute('data-solved'))?.split(',')[0]).toBe('2');
    const cell = page.getByTestId('solve-problem-row').nth(1).locator('td[data-agent="enumerate-oe"]');
    await cell.locator('summary').click();
    expect(await cell.locator('pre').textContent()).toBe('def f2(n):\n    return -n\n');
    expect(await page.getByTestId('solve-run-item').count()).toBe(1);
    await expect.poll(() => page.getByTestId('solve-run-item').getByTestId('status').textContent()).toBe('done');
    await screenshot(page, '30-solve-run');
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('deletes an ended run after asking, back to the list', async () => {
    await page.getByTestId('solve-delete').click();
    await page.getByTestId('confirm').click();
    await page.waitForURL(/#\/solve$/);
    await page.getByTestId('no-solve-runs').waitFor();
    expect(await page.getByTestId('solve-detail').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
