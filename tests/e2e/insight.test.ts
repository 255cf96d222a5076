import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabServer } from '../../electron/server/lab-server.ts';
import { screenshot } from './support/browser.ts';
import { apiCall } from './support/lab-fixtures.ts';
import { openLabSession, type LabSession } from './support/lab-session.ts';

/** Two problems, one of which shortest-first enumeration solves within a few dozen programs. */
const CONSTANT_PROBLEMS = {
  name: 'constants',
  problems: [
    { function_name: 'always_zero', docstring: 'Zero, whatever the number.', parameters: ['x'], test_cases: [[[1], 0], [[-4], 0], [[9], 0]] },
    { function_name: 'add', docstring: 'The sum of two numbers.', parameters: ['a', 'b'], test_cases: [[[1, 2], 3], [[0, 0], 0], [[-1, 5], 4]] },
  ],
};

/**
 * Seeing inside a real short run (the default preset, trainer process, tfjs, executor): the
 * diagnostics panels, the code diff between two checkpoints, the episode browser.
 */
describe('inside a real run, in a browser', () => {
  let session: LabSession;
  let server: LabServer;
  let page: Page;
  let base: string;
  let id = 0;
  let pqtId = 0;
  let enumerateId = 0;

  beforeAll(async () => {
    session = await openLabSession('insight', {}, async (server) => {
      const sets = await apiCall<{ id: number; name: string }[]>(server, 'problemSets.list', {});
      const preset = await apiCall<{ config: Record<string, Record<string, unknown>> }>(server, 'presets.get', { name: 'default' });
      const config = {
        ...preset.config,
        agent: { ...preset.config.agent, hidden_dim: 64 },
        training: { ...preset.config.training, num_episodes: 200, eval_frequency: 50, save_frequency: 50, diagnostics_every: 10, seed: 3 },
      };
      const setId = sets.find((s) => s.name === 'seed-train')!.id;
      ({ id } = await apiCall<{ id: number }>(server, 'experiments.create', { name: 'short default run', problem_set_id: setId, config }));
      const pqt = { ...config, agent: { ...config.agent, type: 'pqt', pg_hidden_dim: 64, pg_batch_episodes: 8 } };
      ({ id: pqtId } = await apiCall<{ id: number }>(server, 'experiments.create', { name: 'short priority-queue run', problem_set_id: setId, config: pqt }));
      // Shortest first, enumeration writes `return 0` within a few dozen programs: its run has
      // successful episodes whatever the learners happen to find in 200 episodes.
      const small = await apiCall<{ set_id: number }>(server, 'problemSets.import', { files: [{ name: 'constants.json', content: JSON.stringify(CONSTANT_PROBLEMS) }] });
      const enumeration = { ...config, agent: { ...config.agent, type: 'enumerate' }, training: { ...config.training, num_episodes: 96 } };
      ({ id: enumerateId } = await apiCall<{ id: number }>(server, 'experiments.create', { name: 'short enumeration run', problem_set_id: small.set_id, config: enumeration }));
      const deadline = Date.now() + 400_000;
      for (const run of [id, pqtId, enumerateId]) {
        for (;;) {
          const { status, error } = await apiCall<{ status: string; error: string | null }>(server, 'experiments.get', { id: run });
          if (status === 'done') break;
          if (['failed', 'interrupted', 'stopped'].includes(status) || Date.now() > deadline) throw new Error(`run ${run} ended ${status}: ${error}`);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    });
    ({ server, page } = session);
    base = server.url.split('#')[0]!;
  }, 480_000);

  afterAll(() => session?.close());

  it('draws every diagnostic panel of the run, and the best greedy rate the chart shows', async () => {
    await page.goto(`${base}#/experiments/${id}`);
    for (const panel of ['q-vs-return', 'td-errors', 'replay-buffer', 'tokens']) {
      await expect.poll(() => page.getByTestId(`diag-${panel}`).getAttribute('data-empty'), { timeout: 30_000 }).toBe('false');
    }
    expect(await page.getByTestId('diag-greedy').locator('td a').count()).toBe(4 * 8);
    const rates = await apiCall<{ points: { value: number }[] }>(server, 'metrics.get', { experiment_id: id, names: ['charts/greedy_success_rate'] });
    const best = Math.max(...rates.points.map((p) => p.value));
    expect(await page.getByTestId('best-greedy').textContent()).toBe(`${(best * 100).toFixed(1)}%`);
    await page.getByTestId('diag-q-vs-return').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(300);
    await screenshot(page, '50-diagnostics-panels');
    expect(session.pageErrors).toEqual([]);
  }, 90_000);

  it("draws a policy agent's panels: entropy per step position, chosen-token probability, the queue's best programs", async () => {
    await page.goto(`${base}#/experiments/${pqtId}`);
    for (const panel of ['policy-entropy', 'chosen-probability', 'queue', 'tokens']) {
      await expect.poll(() => page.getByTestId(`diag-${panel}`).getAttribute('data-empty'), { timeout: 30_000 }).toBe('false');
    }
    expect(await page.getByTestId('diag-q-vs-return').count()).toBe(0);
    // The queue shown is the latest stored for the problem picked, best first, as code.
    const problem = await page.getByTestId('queue-problem').inputValue();
    const { samples } = await apiCall<{ samples: { episode: number; data: { programs: { code: string; score: number }[] } }[] }>(server, 'diagnostics.get', { experiment_id: pqtId, kinds: ['queue'] });
    const latest = samples.filter((s) => (s as unknown as { problem: string }).problem === problem).at(-1)!;
    const shown = page.getByTestId('queue-program');
    expect(await shown.count()).toBe(latest.data.programs.length);
    expect((await shown.first().locator('pre').textContent())?.trim()).toBe(latest.data.programs[0]!.code.trim());
    await page.getByTestId('diag-policy-entropy').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(300);
    await screenshot(page, '54-policy-agent-diagnostics');
    expect(session.pageErrors).toEqual([]);
  }, 60_000);

  it('diffs the greedy program of a problem between two checkpoints, with each side’s verdicts', async () => {
    await page.goto(`${base}#/experiments/${id}`);
    await page.getByTestId('greedy-diff').first().click();
    await page.waitForURL(/#\/diff\/\d+\//);
    await page.getByTestId('program-diff').locator('.monaco-diff-editor').waitFor({ timeout: 30_000 });
    // Evaluations fall on the batch (training.num_envs = 16) that reaches each multiple of 50; the three latest periodic checkpoints are kept.
    const options = await page.getByTestId('diff-left').locator('option').allTextContents();
    expect(options.map((o) => /episode (\d+)/.exec(o)?.[1])).toEqual(['64', '112', '160', '200']);
    await page.getByTestId('diff-left').selectOption({ label: options[1]! });
    const left = await page.getByTestId('diff-left').locator('option:checked').textContent();
    const right = await page.getByTestId('diff-right').locator('option:checked').textContent();
    expect(left).toMatch(/episode 112 \(checkpoint: .*periodic/);
    expect(right).toMatch(/episode 200 \(checkpoint: .*periodic/);
    expect(await page.getByTestId('verdicts-left').locator('.chip').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('verdicts-right').locator('.chip').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('version-row').count()).toBe(4);
    await screenshot(page, '51-code-diff-between-checkpoints');
  }, 60_000);

  it('filters the episode browser to the successes of one problem and opens one in the replay', async () => {
    const solved = await apiCall<{ items: { problem_name: string }[] }>(server, 'episodes.browse', { experiment_id: enumerateId, success: true, limit: 1 });
    expect(solved.items.length).toBe(1);
    const problem = solved.items[0]!.problem_name;
    await page.goto(`${base}#/experiments/${enumerateId}`);
    await page.getByTestId('browse-episodes').click();
    await page.getByTestId('episode-browser').waitFor();
    await page.getByTestId('filter-problem').selectOption(problem);
    await page.getByTestId('filter-success').selectOption('yes');
    await page.getByTestId('filter-apply').click();
    await page.waitForURL(new RegExp(`#/episodes/${enumerateId}\\?problem=${problem}&success=yes$`));
    const rows = page.getByTestId('episode-item');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const problems = await rows.locator('td:nth-child(2)').allTextContents();
    expect(new Set(problems)).toEqual(new Set([problem]));
    expect(await rows.locator('td.ok').count()).toBe(await rows.count());
    await screenshot(page, '52-episode-browser-successes-of-one-problem');
    await rows.first().getByTestId('episode-replay').click();
    await page.waitForURL(/#\/replay\/\d+\/\d+$/);
    await page.getByTestId('replay-view').waitFor();
    await page.getByTestId('replay-code').locator('.monaco-editor').waitFor({ timeout: 30_000 });
    await screenshot(page, '53-replay-opened-from-the-browser');
    expect(session.pageErrors).toEqual([]);
  }, 90_000);
});
