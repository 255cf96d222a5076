import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabServer } from '../../electron/server/lab-server.ts';
import { screenshot } from './support/browser.ts';
import { openLabSession, type LabSession } from './support/lab-session.ts';
import { apiCall } from './support/lab-fixtures.ts';

const GOOD = JSON.stringify(
  {
    name: 'dropped',
    problems: [
      { function_name: 'triple', docstring: 'Three times x.', parameters: ['x'], test_cases: [[2, 6], [0, 0]], reference_solution: 'def triple(x):\n    return 3 * x\n' },
      { function_name: 'shout', docstring: 'Upper case.', parameters: ['s'], test_cases: [['a', 'A']] },
    ],
  },
  null,
  2,
);
const BROKEN = '{"problems": [\n  {"function_name": "ok", "docstring": "d", "test_cases": [[[1], 1]]},\n  {"function_name": "1bad", "docstring": "d", "test_cases": [[[1], 1]]}\n]}\n';

/** Drops files on the page as a person dragging them from a file manager would (DataTransfer events). */
function dropFiles(page: Page, files: { name: string; content: string }[]): Promise<unknown> {
  return page.evaluate(`(() => {
    const dt = new DataTransfer();
    for (const f of ${JSON.stringify(files)}) dt.items.add(new File([f.content], f.name, { type: 'application/json' }));
    const target = document.querySelector('[data-testid="problem-table"]') ?? document.body;
    for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
  })()`);
}

/** The problem-set manager (drag-in import, editor, reference run) and the settings page. */
describe('problem sets and settings in a browser', () => {
  let session: LabSession;
  let server: LabServer;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    session = await openLabSession('problems', {});
    ({ server, page, pageErrors } = session);
    await page.goto(server.url);
  }, 120_000);

  afterAll(() => session?.close());

  it('shows the bundled sets on first start', async () => {
    await page.getByTestId('nav-problems').click();
    await expect.poll(() => page.getByTestId('set-item').count()).toBeGreaterThanOrEqual(5);
    expect(await page.getByTestId('set-item').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('seed-train')]));
  }, 60_000);

  it('refuses a drop with a broken file, naming file, line:column and JSON path; then imports the good file', async () => {
    await dropFiles(page, [{ name: 'good.json', content: GOOD }, { name: 'broken.json', content: BROKEN }]);
    await page.getByTestId('import-report').waitFor();
    expect(await page.getByTestId('import-verdict').textContent()).toMatch(/^Nothing imported: \d+ errors?$/);
    const error = page.getByTestId('import-error').first();
    expect(await error.locator('td').allTextContents()).toEqual(['broken.json:3:21', 'problems[1].function_name', expect.stringContaining('1bad')]);
    expect(await page.getByTestId('import-file').count()).toBe(2);
    expect((await apiCall<{ name: string }[]>(server, 'problemSets.list', {})).some((s) => s.name === 'dropped')).toBe(false);
    await screenshot(page, '15-import-report-refused');
    await dropFiles(page, [{ name: 'good.json', content: GOOD }]);
    await expect.poll(() => page.getByTestId('import-verdict').textContent()).toBe('Imported 2 problems into "dropped"');
    await expect.poll(() => page.getByTestId('problem-row').count()).toBe(2);
    await screenshot(page, '16-import-report-imported');
  }, 60_000);

  it('edits a problem in Monaco and runs its reference solution through the executor', async () => {
    await page.getByTestId('problem-row').first().click();
    await page.getByTestId('problem-editor').locator('.monaco-editor').waitFor();
    await page.getByTestId('run-reference').click();
    await expect.poll(() => page.getByTestId('verdict-row').count(), { timeout: 30_000 }).toBe(2);
    expect(await page.getByTestId('verdict-row').first().locator('td').allTextContents()).toEqual(['1', 'triple(2)', '6', '6', 'passed']);
    await screenshot(page, '17-problem-editor-reference');
    await page.getByTestId('duplicate-set').click();
    await expect.poll(() => page.getByTestId('set-item').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('dropped (copy)')]));
  }, 60_000);

  it('refuses a bad interpreter path with a clear error and does not save it', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('python-current').waitFor();
    await page.getByTestId('python-input').fill('/no/such/python3');
    await page.getByTestId('python-save').click();
    await page.getByTestId('python-error').waitFor();
    expect(await page.getByTestId('python-error').textContent()).toMatch(/^Not saved: Python interpreter "\/no\/such\/python3" cannot be used: /);
    expect((await apiCall<{ saved: string | null }>(server, 'settings.python', {})).saved).toBe(null);
    await page.getByTestId('backend-active').waitFor({ timeout: 60_000 });
    await screenshot(page, '18-settings-bad-interpreter');
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
