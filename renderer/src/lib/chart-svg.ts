import type { ShownLine } from './compare-lines.ts';

export interface SvgOptions {
  width: number;
  height: number;
  title: string;
  xLabel: string;
  logScale: boolean;
  xRange: [number, number];
  background: string;
  text: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (n: number) => (Math.abs(n) >= 1e5 || (n !== 0 && Math.abs(n) < 1e-3) ? n.toExponential(2) : String(Number(n.toPrecision(4))));

/**
 * The compare chart as SVG, drawn from the same lines the canvas shows: bands as polygons, raw
 * lines faint, smoothed lines on top, axes with five ticks, a legend.
 */
export function chartSvg(lines: readonly ShownLine[], o: SvgOptions): string {
  const pad = { left: 64, right: 16, top: 28, bottom: 40 };
  const w = o.width - pad.left - pad.right;
  const h = o.height - pad.top - pad.bottom - lines.length * 16;
  const ty = (v: number) => (o.logScale ? Math.log10(Math.max(v, 1e-12)) : v);
  const ys = lines.flatMap((l) => l.points.flatMap((p) => [ty(p.lo), ty(p.hi), ty(p.y)]));
  const [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  const [x0, x1] = o.xRange;
  const px = (x: number) => pad.left + ((x - x0) / (x1 - x0 || 1)) * w;
  const py = (v: number) => pad.top + h - ((ty(v) - y0) / (y1 - y0 || 1)) * h;
  const path = (pts: [number, number][]) => pts.map(([x, y], i) => `${i ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`).join('');
  const parts: string[] = [
    `<rect width="${o.width}" height="${o.height}" fill="${o.background}"/>`,
    `<text x="${pad.left}" y="18" fill="${o.text}" font-size="13" font-weight="600">${esc(o.title)}</text>`,
    `<rect x="${pad.left}" y="${pad.top}" width="${w}" height="${h}" fill="none" stroke="${o.text}" stroke-opacity="0.3"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const xv = x0 + ((x1 - x0) * i) / 4;
    const yv = y0 + ((y1 - y0) * i) / 4;
    const yLabel = o.logScale ? 10 ** yv : yv;
    parts.push(`<text x="${px(xv)}" y="${pad.top + h + 14}" fill="${o.text}" font-size="10" text-anchor="middle">${fmt(xv)}</text>`);
    parts.push(`<text x="${pad.left - 6}" y="${pad.top + h - (h * i) / 4 + 3}" fill="${o.text}" font-size="10" text-anchor="end">${fmt(yLabel)}</text>`);
  }
  parts.push(`<text x="${pad.left + w / 2}" y="${pad.top + h + 30}" fill="${o.text}" font-size="11" text-anchor="middle">${esc(o.xLabel)}</text>`);
  lines.forEach((line, i) => {
    const upper = line.points.map((p): [number, number] => [px(p.x), py(p.hi)]);
    const lower = line.points.map((p): [number, number] => [px(p.x), py(p.lo)]).reverse();
    if (line.points.length) parts.push(`<path d="${path([...upper, ...lower])}Z" fill="${line.color}" fill-opacity="0.15" stroke="none"/>`);
    const raw = line.points.filter((p) => p.raw !== null).map((p): [number, number] => [px(p.x), py(p.raw!)]);
    if (raw.length) parts.push(`<path d="${path(raw)}" fill="none" stroke="${line.color}" stroke-opacity="0.3" stroke-width="1"/>`);
    parts.push(`<path d="${path(line.points.map((p) => [px(p.x), py(p.y)]))}" fill="none" stroke="${line.color}" stroke-width="1.8"/>`);
    const ly = pad.top + h + 46 + i * 16;
    parts.push(`<rect x="${pad.left}" y="${ly - 9}" width="12" height="3" fill="${line.color}"/>`);
    parts.push(`<text x="${pad.left + 18}" y="${ly - 4}" fill="${o.text}" font-size="11">${esc(line.label)}</text>`);
  });
  const height = o.height;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${o.width}" height="${height}" viewBox="0 0 ${o.width} ${height}" font-family="system-ui, sans-serif">${parts.join('')}</svg>\n`;
}
