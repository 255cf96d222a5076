import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabServer } from '../../electron/server/lab-server.ts';
import { screenshot } from './support/browser.ts';
import { openLabSession, type LabSession } from './support/lab-session.ts';
import { apiCall, finishedRun, SCRIPTED_PROBLEMS } from './support/lab-fixtures.ts';
import { scriptedTrainerSpawner } from './support/scripted-trainer.ts';

/** Compare finished runs and replay their episodes token by token, in Chromium through the lab server. */
describe('compare and replay in a browser', () => {
  let session: LabSession;
  let server: LabServer;
  let page: Page;
  let pageErrors: string[];
  const runs: Record<'a' | 'b' | 'c', number> = { a: 0, b: 0, c: 0 };

  beforeAll(async () => {
    session = await openLabSession('compare', { spawner: scriptedTrainerSpawner(15) }, async (server) => {
      const report = await apiCall<{ set_id: number }>(server, 'problemSets.import', { files: [{ name: 'scripted.json', content: JSON.stringify(SCRIPTED_PROBLEMS) }] });
      [runs.a, runs.b, runs.c] = await Promise.all([
        finishedRun(server, report.set_id, 'lr 1e-4 seed 1', 0.0001, 1),
        finishedRun(server, report.set_id, 'lr 5e-4 seed 1', 0.0005, 1),
        finishedRun(server, report.set_id, 'lr 1e-4 seed 2', 0.0001, 2),
      ]);
    });
    ({ server, page, pageErrors } = session);
    await page.goto(server.url);
  }, 120_000);

  afterAll(() => session?.close());

  const chart = () => page.getByTestId('compare-chart');

  it('compares two finished runs picked in the browser and reads the diff table', async () => {
    const row = (id: number) => page.locator(`[data-testid="experiment-row"][data-id="${id}"]`);
    await row(runs.a).getByTestId('select-run').check();
    await row(runs.b).getByTestId('select-run').check();
    await page.getByTestId('compare-selected').click();
    await page.waitForURL(new RegExp(`#/compare\\?ids=${runs.a},${runs.b}$`));
    await expect.poll(() => chart().getAttribute('data-points').then(Number), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await chart().getAttribute('data-lines')).toBe('2');
    const rows = page.getByTestId('diff-row');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-key')).toBe('agent.learning_rate');
    expect(await rows.first().getByTestId('diff-cell').allTextContents()).toEqual(['1e-4 ', '5e-4 ×5']);
    expect(await rows.first().getByTestId('diff-cell').nth(1).getAttribute('class')).toContain('up');
    await expect.poll(() => page.getByTestId('step-table').locator('tbody tr').count()).toBe(2);
    expect(await page.getByTestId('solved-matrix').locator('a.yes, a.no').count()).toBe(6);
    expect(await page.getByTestId('matrix-diff').first().getAttribute('href')).toBe(`#/diff/${runs.a}/add_numbers?against=${runs.b}`);
    await screenshot(page, '11-compare-two-runs');
  }, 60_000);

  it('groups runs that differ only by seed, zooms by dragging and exports what is shown', async () => {
    await page.goto(`${server.url.split('?')[0]}#/compare?ids=${runs.a},${runs.b},${runs.c}`);
    await expect.poll(() => chart().getAttribute('data-lines'), { timeout: 15_000 }).toBe('2');
    await page.getByTestId('group-by').selectOption('none');
    await expect.poll(() => chart().getAttribute('data-lines')).toBe('3');
    await page.getByTestId('group-by').selectOption('seed');
    await page.getByTestId('band').selectOption('ci95');
    const box = (await chart().boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('reset-zoom').isEnabled()).toBe(true);
    await screenshot(page, '12-compare-seed-group-zoomed');
    const download = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`compare-${runs.a}-${runs.b}-${runs.c}-charts_episodic_return.csv`);
  }, 60_000);

  it('replays the first success from the dashboard to the end: the code shown is the stored program', async () => {
    await page.goto(`${server.url.split('?')[0]}#/experiments/${runs.a}`);
    await page.getByTestId('replay-first-success').click();
    await page.waitForURL(/#\/replay\/\d+\/\d+$/);
    const episodeId = Number(/(\d+)$/.exec(page.url())![1]);
    const stored = await apiCall<{ code: string; frames: unknown[] }>(server, 'episodes.replay', { experiment_id: runs.a, episode_id: episodeId });
    await page.getByTestId('replay-code').locator('.monaco-editor').waitFor();
    expect(await page.getByTestId('position').textContent()).toBe(`step 0 / ${stored.frames.length}`);
    await page.getByTestId('step-forward').click();
    await page.getByTestId('step-forward').click();
    expect(await page.getByTestId('position').textContent()).toBe(`step 2 / ${stored.frames.length}`);
    expect(await page.getByTestId('q-chosen').count()).toBe(1);
    await screenshot(page, '13-replay-step-2');
    await page.getByTestId('step-back').click();
    expect(await page.getByTestId('position').textContent()).toBe(`step 1 / ${stored.frames.length}`);
    await page.getByTestId('play').click();
    await page.getByTestId('verdict-row').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('replay-code').getAttribute('data-code')).toBe(stored.code);
    const shown = await page.evaluate(`[...document.querySelectorAll('[data-testid="replay-code"] .view-line')]
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top)).map((l) => l.textContent.replace(/\\u00a0/g, ' ')).join('\\n')`);
    expect(shown).toBe(stored.code); // Monaco shows the final newline as an empty last line
    expect(await page.getByTestId('verdict-row').count()).toBe(3);
    // The scripted agent writes `return a + b` for max_of_two too: running it again shows what it returns.
    expect(await page.getByTestId('verdict-row').first().locator('td').allTextContents()).toEqual(['1', 'max_of_two(1, 2)', '2', '3', 'wrong_answer']);
    expect(await page.getByTestId('verdicts').locator('.summary').textContent()).toBe('Verdict: wrong_answer — 1 of 3 passed');
    await screenshot(page, '14-replay-end-verdicts');
    // The stable link opens the same replay after a reload.
    await page.reload();
    await page.getByTestId('replay-view').waitFor();
    expect(await page.getByTestId('position').textContent()).toBe(`step 0 / ${stored.frames.length}`);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
