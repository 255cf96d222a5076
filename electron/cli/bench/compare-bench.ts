import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bench, BenchReport } from '#lab/bench/registry.ts';
import { writeSweepRuns } from '#lab/bench/sweep-runs.ts';
import { openDatabase } from '#lab/store/database.ts';
import { startLabServer } from '../../server/lab-server.ts';
import { ensureRendererBuilt } from '../../server/renderer-build.ts';

const CHROMIUM = process.env.LAB_CHROMIUM ?? '/usr/bin/chromium';
const POINTS = 5000;
const CASES = [10, 100] as const;
const REPEATS = 3;

interface CaseTiming {
  runs: number;
  points: number;
  /** Compare opened in a loaded app (the route entered) to the chart drawn with every run: API calls, bucketing, drawing. */
  toDrawnMs: number;
  /** The compare.series call alone, in the server (read, smooth, bucket). */
  seriesMs: number;
  /** Chart.js's update with every line, in the page. */
  drawMs: number;
}

/** The little of the page's DOM the bench touches (this file is type-checked for Node). */
interface PageGlobals {
  location: { hash: string };
  document: { querySelector(selector: string): { dataset: Record<string, string | undefined> } | null };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Times the compare view on 10 and on 100 runs of 5,000 points in headless Chromium, same run. */
export async function runCompareBench(): Promise<{ cases: CaseTiming[]; ratio100vs10: number; goalMs: number }> {
  ensureRendererBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'lab-compare-bench-'));
  const dbPath = join(dir, 'lab.sqlite');
  const db = openDatabase(dbPath);
  const ids = writeSweepRuns(db, { runs: Math.max(...CASES), points: POINTS, metrics: ['charts/episodic_return'] });
  db.close();
  const server = await startLabServer({ dbPath, port: 0 });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const base = server.url.split('#')[0]!;
    await page.goto(`${base}#/experiments`);
    await page.getByTestId('experiment-row').first().waitFor({ timeout: 60_000 });
    const cases: CaseTiming[] = [];
    for (const runs of CASES) {
      const chosen = ids.slice(0, runs);
      const toDrawn: number[] = [];
      const draw: number[] = [];
      const series: number[] = [];
      for (let k = 0; k < REPEATS; k++) {
        await page.evaluate(() => ((globalThis as unknown as PageGlobals).location.hash = '#/experiments'));
        await page.getByTestId('experiment-row').first().waitFor();
        // The clock starts in the page when compare is opened, as a click on Compare would.
        const opened = await page.evaluate((hash) => (((globalThis as unknown as PageGlobals).location.hash = hash), performance.now()), `#/compare?ids=${chosen.join(',')}`);
        await page.waitForFunction(
          (n) => {
            const el = (globalThis as unknown as PageGlobals).document.querySelector('[data-testid="compare-chart"]');
            return el !== null && el.dataset.drawnLines === String(n) && Number(el.dataset.points) > 0;
          },
          runs,
          { timeout: 60_000, polling: 'raf' },
        );
        const chart = page.getByTestId('compare-chart');
        toDrawn.push(Number(await chart.getAttribute('data-drawn-at')) - opened);
        draw.push(Number(await chart.getAttribute('data-draw-ms')));
        const t0 = performance.now();
        const answer = await server.api.call('compare.series', { experiment_ids: chosen, name: 'charts/episodic_return', buckets: runs > 20 ? 275 : 550, smoothing: 0.6 });
        if (!answer.ok) throw new Error(answer.error.message);
        series.push(performance.now() - t0);
      }
      cases.push({ runs, points: POINTS, toDrawnMs: median(toDrawn), seriesMs: median(series), drawMs: median(draw) });
    }
    const [few, many] = cases;
    return { cases, ratio100vs10: many!.toDrawnMs / few!.toDrawnMs, goalMs: 1000 };
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number, digits = 0) => Number(x.toFixed(digits));

export const compareBench: Bench = {
  name: 'compare',
  summary: 'the compare view in headless Chromium: 100 runs x 5,000 points to drawn, beside 10 runs (goal < 1 s)',
  async run(): Promise<BenchReport> {
    const r = await runCompareBench();
    return {
      name: 'compare',
      json: r,
      rows: [
        ...r.cases.flatMap((c) => [
          [`${c.runs} runs to drawn`, round(c.toDrawnMs), `ms (median of ${REPEATS}; ${c.runs} x ${c.points.toLocaleString('en')} points, compare opened to drawn)`],
          [`  compare.series`, round(c.seriesMs), 'ms in the server (read, smooth, bucket)'],
          [`  chart update`, round(c.drawMs, 1), 'ms in the page (Chart.js)'],
        ] as const),
        ['100 runs / 10 runs', round(r.ratio100vs10, 2), 'x (time to drawn)'],
        ['goal', r.goalMs, `ms for 100 runs: ${r.cases.at(-1)!.toDrawnMs < r.goalMs ? 'met' : 'NOT met'}`],
      ],
    };
  },
};
