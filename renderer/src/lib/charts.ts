import {
  Chart,
  Decimation,
  Filler,
  Legend,
  LinearScale,
  LogarithmicScale,
  LineController,
  LineElement,
  PointElement,
  Title,
  Tooltip,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend, Filler, Title, Decimation, zoomPlugin);

/** What a steering change looks like on a chart: a dashed vertical line with a label. */
export interface ChartMark {
  step: number;
  label: string;
}

/** Draws every mark of `options.plugins.marks.items` across the chart area. */
export const interventionMarks: Plugin<'line'> = {
  id: 'marks',
  afterDatasetsDraw(chart, _args, options) {
    const { items, color } = options as { items?: ChartMark[]; color?: string };
    if (!items?.length) return;
    const { ctx, chartArea, scales } = chart;
    const x = scales.x;
    if (!x) return;
    ctx.save();
    ctx.strokeStyle = color ?? '#d97706';
    ctx.fillStyle = color ?? '#d97706';
    ctx.setLineDash([4, 3]);
    ctx.font = '10px system-ui, sans-serif';
    for (const mark of items) {
      const px = x.getPixelForValue(mark.step);
      if (px < chartArea.left || px > chartArea.right) continue;
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
      ctx.fillText(mark.label, px + 3, chartArea.top + 10);
    }
    ctx.restore();
  },
};

/** The dashboard's chart order: return, success, losses, epsilon, reward parts, then the rest. */
export function chartOrder(names: string[]): string[] {
  const rank = (name: string): number => {
    if (name === 'charts/episodic_return') return 0;
    if (name === 'charts/success_rate') return 1;
    if (name.startsWith('losses/')) return 2;
    if (name === 'charts/epsilon') return 3;
    if (name.startsWith('rewards/')) return 4;
    return 5;
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function markLabel(kind: string, value: number | null): string {
  const short: Record<string, string> = { set_epsilon: 'ε', set_learning_rate: 'lr' };
  return value === null ? kind : `${short[kind] ?? kind}=${Number(value.toPrecision(3))}`;
}

/** The chart colours of the current theme, read from the CSS variables. */
export function chartColors(): { line: string; grid: string; text: string; mark: string } {
  const style = getComputedStyle(document.documentElement);
  return {
    line: style.getPropertyValue('--accent').trim() || '#2f6fde',
    grid: style.getPropertyValue('--chart-grid').trim(),
    text: style.getPropertyValue('--muted').trim(),
    mark: style.getPropertyValue('--warn').trim(),
  };
}

/**
 * What every line chart of the lab shares: pre-parsed {x, y} points without animation (live runs
 * append points every second), a labelled linear x axis and themed grid and ticks.
 */
export function lineChartOptions(xLabel: string, xTicks: number): NonNullable<ChartConfiguration<'line'>['options']> {
  const c = chartColors();
  return {
    animation: false,
    parsing: false,
    normalized: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    scales: {
      x: { type: 'linear', title: { display: true, text: xLabel, color: c.text }, grid: { color: c.grid }, ticks: { color: c.text, maxTicksLimit: xTicks } },
      y: { type: 'linear', grid: { color: c.grid }, ticks: { color: c.text, maxTicksLimit: 6 } },
    },
  };
}

export { Chart };
