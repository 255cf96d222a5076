import { CategoryScale, Chart, ScatterController, type ChartConfiguration } from 'chart.js';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';
import type { SampleOf } from '#shared/diagnostics/diagnostic-samples.ts';
import { TD_QUANTILES } from '#shared/diagnostics/diagnostic-samples.ts';
import { chartColors, lineChartOptions } from './charts.ts';
import { lineColor } from './compare-lines.ts';

Chart.register(ScatterController, CategoryScale, MatrixController, MatrixElement);

type Config = ChartConfiguration<'line' | 'scatter' | 'matrix'>;

/** Predicted Q at the first step (y) against the discounted return the episode got (x), with y = x. */
export function qReturnChart(points: readonly SampleOf<'q_return'>[]): Config {
  const xs = points.flatMap((p) => [p.data.q, p.data.ret]);
  const lo = Math.min(0, ...xs);
  const hi = Math.max(1, ...xs);
  const base = lineChartOptions('discounted return the episode got', 6);
  return {
    type: 'scatter',
    data: {
      datasets: [
        { label: 'failed', data: points.filter((p) => !p.data.success).map((p) => ({ x: p.data.ret, y: p.data.q })), backgroundColor: '#d9480f99', pointRadius: 3 },
        { label: 'solved', data: points.filter((p) => p.data.success).map((p) => ({ x: p.data.ret, y: p.data.q })), backgroundColor: '#2b8a3ecc', pointRadius: 3 },
        { type: 'line', label: 'y = x (above: over-estimated)', data: [{ x: lo, y: lo }, { x: hi, y: hi }], borderColor: chartColors().text, borderDash: [5, 4], borderWidth: 1, pointRadius: 0 },
      ],
    },
    options: { ...base, plugins: { legend: { display: true, labels: { color: chartColors().text, boxWidth: 10 } } }, scales: { ...base.scales, y: { ...base.scales!.y, title: { display: true, text: 'predicted Q at step 1', color: chartColors().text } } } } as Config['options'],
  };
}

/** Quantiles over training as nested bands (5-95%, 25-75%) around the median; `quantiles` are TD_QUANTILES' values. */
function quantileBandChart(windows: readonly { episode: number; quantiles: readonly number[] }[], accent: string, yLabel: string, y: { min?: number; max?: number } = {}): Config {
  const at = (i: number) => windows.map((s) => ({ x: s.episode, y: s.quantiles[i]! }));
  const [p5, p25, p50, p75, p95] = TD_QUANTILES.map((_, i) => at(i));
  const base = lineChartOptions('episode', 8);
  return {
    type: 'line',
    data: {
      datasets: [
        { label: '5%', data: p5!, borderWidth: 0, pointRadius: 0, fill: false },
        { label: '5-95%', data: p95!, borderWidth: 0, pointRadius: 0, fill: '-1', backgroundColor: `${accent}22` },
        { label: '25%', data: p25!, borderWidth: 0, pointRadius: 0, fill: false },
        { label: '25-75%', data: p75!, borderWidth: 0, pointRadius: 0, fill: '-1', backgroundColor: `${accent}55` },
        { label: 'median', data: p50!, borderColor: accent, borderWidth: 1.6, pointRadius: 0 },
      ],
    },
    options: { ...base, plugins: { legend: { display: false } }, scales: { ...base.scales, y: { ...base.scales!.y, ...y, title: { display: true, text: yLabel, color: chartColors().text } } } } as Config['options'],
  };
}

/** TD-error quantiles over training as nested bands (5-95%, 25-75%) around the median. */
export function tdErrorChart(samples: readonly SampleOf<'td_errors'>[]): Config {
  return quantileBandChart(samples.map((s) => ({ episode: s.episode, quantiles: s.data.quantiles })), '#2f6fde', 'TD error');
}

/** The probability the policy gave the tokens it drew, as quantile bands over training: near 1, the policy has settled. */
export function chosenProbabilityChart(samples: readonly SampleOf<'policy'>[]): Config {
  return quantileBandChart(samples.map((s) => ({ episode: s.episode, quantiles: s.data.probability_quantiles })), '#2b8a3e', 'probability of the drawn token', { min: 0, max: 1 });
}

/** At most `n` windows spread evenly over training, the first and the latest included. */
export function spreadWindows<T>(samples: readonly T[], n: number): T[] {
  if (samples.length <= n) return [...samples];
  return Array.from({ length: n }, (_, i) => samples[Math.round((i * (samples.length - 1)) / (n - 1))]!);
}

/** Entropy of the policy at each step position, one line per window (pale: early, dark: latest). */
export function entropyByPositionChart(samples: readonly SampleOf<'policy'>[]): Config {
  const shown = spreadWindows(samples, 6);
  const base = lineChartOptions('step position (decision number)', 16);
  return {
    type: 'line',
    data: {
      datasets: shown.map((s, i) => ({
        label: `episode ${s.episode}`,
        data: s.data.entropy.flatMap((h, position) => (s.data.decisions[position] ? [{ x: position + 1, y: h }] : [])),
        borderColor: `rgba(156, 54, 181, ${0.25 + (0.75 * (i + 1)) / shown.length})`,
        borderWidth: i === shown.length - 1 ? 2.2 : 1.4,
        pointRadius: 2,
      })),
    },
    options: {
      ...base,
      plugins: { legend: { display: true, labels: { color: chartColors().text, boxWidth: 10, font: { size: 10 } } } },
      scales: { ...base.scales, y: { ...base.scales!.y, min: 0, title: { display: true, text: 'entropy (nats)', color: chartColors().text } } },
    } as Config['options'],
  };
}

/** The replay buffer's make-up: each problem's share (stacked), the search's share and the success buffer's share of batches. */
export function bufferChart(samples: readonly SampleOf<'buffer'>[]): Config {
  const problems = [...new Set(samples.flatMap((s) => Object.keys(s.data.by_problem)))].sort();
  const share = (s: SampleOf<'buffer'>, n: number | undefined) => (s.data.size ? (100 * (n ?? 0)) / s.data.size : 0);
  const base = lineChartOptions('episode', 8);
  return {
    type: 'line',
    data: {
      datasets: [
        ...problems.map((p, i) => ({ label: p, data: samples.map((s) => ({ x: s.episode, y: share(s, s.data.by_problem[p]) })), borderWidth: 0, pointRadius: 0, fill: i === 0 ? 'origin' : '-1', backgroundColor: `${lineColor(i)}66`, stack: 'problems', yAxisID: 'y' })),
        { label: 'from search (%)', data: samples.map((s) => ({ x: s.episode, y: share(s, s.data.by_source.search) })), borderColor: '#111', borderDash: [4, 3], borderWidth: 1.5, pointRadius: 0, yAxisID: 'y2' },
        { label: 'batch from success buffer (%)', data: samples.map((s) => ({ x: s.episode, y: 100 * s.data.success_share })), borderColor: '#2b8a3e', borderWidth: 1.5, pointRadius: 0, yAxisID: 'y2' },
        { label: 'median age (episodes)', data: samples.map((s) => ({ x: s.episode, y: s.data.age_median })), borderColor: '#9c36b5', borderWidth: 1.5, pointRadius: 0, yAxisID: 'y3' },
      ],
    },
    options: {
      ...base,
      plugins: { legend: { display: true, labels: { color: chartColors().text, boxWidth: 10, font: { size: 10 } } } },
      scales: {
        x: base.scales!.x,
        y: { ...base.scales!.y, stacked: true, min: 0, max: 100, title: { display: true, text: 'share by problem (%)', color: chartColors().text } },
        y2: { type: 'linear', position: 'right', min: 0, max: 100, grid: { display: false }, ticks: { color: chartColors().text } },
        y3: { type: 'linear', position: 'right', min: 0, grid: { display: false }, ticks: { color: '#9c36b5' }, title: { display: true, text: 'age', color: '#9c36b5' } },
      },
    } as Config['options'],
  };
}

/** Token frequency for one problem over training: windows across, tokens down, colour = share of the window's tokens. */
export function tokenHeatmap(samples: readonly SampleOf<'tokens'>[]): Config {
  const tokens = [...new Set(samples.flatMap((s) => Object.keys(s.data.counts)))];
  const totals = new Map(tokens.map((t) => [t, samples.reduce((n, s) => n + (s.data.counts[t] ?? 0), 0)]));
  tokens.sort((a, b) => totals.get(b)! - totals.get(a)!);
  const windows = samples.map((s) => String(s.episode));
  const cells = samples.flatMap((s) => {
    const all = Object.values(s.data.counts).reduce((a, b) => a + b, 0) || 1;
    return tokens.map((t) => ({ x: String(s.episode), y: t, v: (s.data.counts[t] ?? 0) / all }));
  });
  const c = chartColors();
  return {
    type: 'matrix',
    data: {
      datasets: [
        {
          label: 'share of tokens',
          data: cells,
          backgroundColor: (ctx: { raw?: unknown }) => `rgba(47, 111, 222, ${Math.min(1, 0.05 + 2.5 * ((ctx.raw as { v?: number } | undefined)?.v ?? 0))})`,
          width: ({ chart }: { chart: Chart }) => (chart.chartArea?.width ?? 0) / Math.max(1, windows.length) - 1,
          height: ({ chart }: { chart: Chart }) => (chart.chartArea?.height ?? 0) / Math.max(1, tokens.length) - 1,
        },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (item: { raw: unknown }) => { const r = item.raw as { x: string; y: string; v: number }; return `episode ${r.x}: ${r.y} ${(r.v * 100).toFixed(1)}%`; } } } },
      scales: {
        x: { type: 'category', labels: windows, ticks: { color: c.text, maxTicksLimit: 10 }, grid: { display: false }, title: { display: true, text: 'episode (window end)', color: c.text } },
        y: { type: 'category', labels: tokens, offset: true, ticks: { color: c.text, autoSkip: false, font: { size: 10 } }, grid: { display: false } },
      },
    } as Config['options'],
  };
}
