import {
  Chart,
  Filler,
  Legend,
  LinearScale,
  LogarithmicScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type Plugin,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend, Filler);

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

export { Chart };
