/**
 * Small SVG charts for the HTML reports: lines (ROC and PR curves, frame scores), bars (score histograms),
 * shaded x-intervals (a video's anomalous frames) and vertical markers (the threshold), on linear axes
 * with round ticks. Plain SVG, no script and no dependency, so a report opens anywhere, offline.
 */
import { escapeMarkup } from './markup.js';

export interface Axis {
  label: string;
  min: number;
  max: number;
}

/** A polyline through (x[i], y[i]); a NaN in y breaks it (frames without a score). */
export interface LineSeries {
  label: string;
  colour: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  dashed?: boolean;
}

/** Bars between consecutive `edges` (one more edge than heights), drawn translucent so two series can overlap. */
export interface BarSeries {
  label: string;
  colour: string;
  edges: ArrayLike<number>;
  heights: ArrayLike<number>;
}

/** Shaded x-intervals [from, to), behind everything else. */
export interface Bands {
  label: string;
  colour: string;
  intervals: readonly { from: number; to: number }[];
}

export interface Marker {
  label: string;
  colour: string;
  x: number;
}

export interface ChartSpec {
  title?: string;
  width?: number;
  height?: number;
  x: Axis;
  y: Axis;
  lines?: readonly LineSeries[];
  bars?: readonly BarSeries[];
  bands?: Bands;
  markers?: readonly Marker[];
}

const MARGIN = { left: 56, right: 12, top: 26, bottom: 40 };

/** The chart as an `<svg>` element. */
export function svgChart(spec: ChartSpec): string {
  const width = spec.width ?? 420;
  const height = spec.height ?? 300;
  const plot = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  const { x, y } = spec;
  const xSpan = x.max > x.min ? x.max - x.min : 1;
  const ySpan = y.max > y.min ? y.max - y.min : 1;
  const px = (v: number) => plot.left + ((v - x.min) / xSpan) * (plot.right - plot.left);
  const py = (v: number) => plot.bottom - ((v - y.min) / ySpan) * (plot.bottom - plot.top);
  const clampX = (v: number) => Math.min(plot.right, Math.max(plot.left, px(v)));
  const parts: string[] = [];

  for (const { from, to } of spec.bands?.intervals ?? []) {
    const left = clampX(from);
    parts.push(`<rect x="${fmt(left)}" y="${plot.top}" width="${fmt(Math.max(0.5, clampX(to) - left))}" height="${plot.bottom - plot.top}" fill="${spec.bands!.colour}" fill-opacity="0.25"/>`);
  }
  parts.push(...axisMarks(spec, plot, px, py));
  for (const series of spec.bars ?? []) {
    for (let i = 0; i < series.heights.length; i++) {
      const h = series.heights[i]!;
      if (!(h > 0)) continue;
      const left = px(series.edges[i]!);
      const top = py(Math.min(h, y.max));
      parts.push(`<rect x="${fmt(left)}" y="${fmt(top)}" width="${fmt(Math.max(0.5, px(series.edges[i + 1]!) - left))}" height="${fmt(plot.bottom - top)}" fill="${series.colour}" fill-opacity="0.45"/>`);
    }
  }
  for (const series of spec.lines ?? []) {
    const d = linePath(series.x, series.y, px, py);
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${series.colour}" stroke-width="1.5"${series.dashed ? ' stroke-dasharray="4 3"' : ''}/>`);
  }
  for (const marker of spec.markers ?? []) {
    if (!(marker.x >= x.min && marker.x <= x.max)) continue;
    const mx = fmt(px(marker.x));
    parts.push(`<line x1="${mx}" y1="${plot.top}" x2="${mx}" y2="${plot.bottom}" stroke="${marker.colour}" stroke-width="1.5" stroke-dasharray="5 3"/>`);
  }
  parts.push(legend(spec, plot.right));
  if (spec.title) parts.push(`<text x="${plot.left}" y="16" font-size="13" font-weight="bold">${escapeMarkup(spec.title)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">${parts.join('')}</svg>`;
}

/** About `count` round tick values (1, 2 or 5 times a power of ten apart) from min to max. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min) || !Number.isFinite(min) || !Number.isFinite(max)) return Number.isFinite(min) ? [min] : [];
  const rough = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  // The round step nearest the rough one (by ratio), so that the count comes out close to the one asked for.
  const step = [1, 2, 5, 10].map((m) => m * power).reduce((best, s) => (Math.abs(Math.log(s / rough)) < Math.abs(Math.log(best / rough)) ? s : best));
  const ticks: number[] = [];
  // Index-based so that 0.1 + 0.2 does not drift into 0.30000000000000004.
  for (let i = Math.ceil(min / step); i * step <= max + step * 1e-9; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** A tick's text: as many decimals as the step between ticks needs; exponent notation for tiny or huge values. */
export function tickText(value: number, step: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || (step < 1e-3 && magnitude < 1e-3)) return value.toExponential(1);
  return value.toFixed(Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
}

/**
 * An SVG path through the points, in pixels, dropping points closer than half a pixel to the last one kept
 * (a ROC curve of 300,000 distinct scores becomes a few hundred points and looks the same). NaN breaks the line.
 */
export function linePath(xs: ArrayLike<number>, ys: ArrayLike<number>, px: (v: number) => number, py: (v: number) => number): string {
  const commands: string[] = [];
  let open = false;
  let lastX = NaN;
  let lastY = NaN;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      open = false;
      continue;
    }
    const sx = px(x);
    const sy = py(y);
    const isLast = i === xs.length - 1 || !Number.isFinite(ys[i + 1]!);
    if (open && !isLast && Math.abs(sx - lastX) < 0.5 && Math.abs(sy - lastY) < 0.5) continue;
    commands.push(`${open ? 'L' : 'M'}${fmt(sx)} ${fmt(sy)}`);
    open = true;
    lastX = sx;
    lastY = sy;
  }
  return commands.join('');
}

function axisMarks(spec: ChartSpec, plot: { left: number; top: number; right: number; bottom: number }, px: (v: number) => number, py: (v: number) => number): string[] {
  const parts = [`<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none" stroke="#888"/>`];
  const xTicks = niceTicks(spec.x.min, spec.x.max);
  const xStep = xTicks.length > 1 ? xTicks[1]! - xTicks[0]! : 1;
  for (const t of xTicks) {
    const tx = fmt(px(t));
    parts.push(`<line x1="${tx}" y1="${plot.bottom}" x2="${tx}" y2="${plot.bottom + 4}" stroke="#888"/><text x="${tx}" y="${plot.bottom + 15}" text-anchor="middle">${tickText(t, xStep)}</text>`);
  }
  const yTicks = niceTicks(spec.y.min, spec.y.max, 4);
  const yStep = yTicks.length > 1 ? yTicks[1]! - yTicks[0]! : 1;
  for (const t of yTicks) {
    const ty = fmt(py(t));
    parts.push(`<line x1="${plot.left - 4}" y1="${ty}" x2="${plot.right}" y2="${ty}" stroke="#ddd"/><text x="${plot.left - 6}" y="${ty}" text-anchor="end" dominant-baseline="middle">${tickText(t, yStep)}</text>`);
  }
  const middleX = fmt((plot.left + plot.right) / 2);
  const middleY = fmt((plot.top + plot.bottom) / 2);
  parts.push(`<text x="${middleX}" y="${plot.bottom + 32}" text-anchor="middle">${escapeMarkup(spec.x.label)}</text>`);
  parts.push(`<text x="14" y="${middleY}" text-anchor="middle" transform="rotate(-90 14 ${middleY})">${escapeMarkup(spec.y.label)}</text>`);
  return parts;
}

/** One line per series, marker and band, top right, in the order they were drawn. */
function legend(spec: ChartSpec, right: number): string {
  const entries = [
    ...(spec.bands && spec.bands.intervals.length > 0 ? [{ label: spec.bands.label, colour: spec.bands.colour }] : []),
    ...(spec.bars ?? []),
    ...(spec.lines ?? []).filter((l) => l.label !== ''),
    ...(spec.markers ?? []).filter((m) => m.x >= spec.x.min && m.x <= spec.x.max),
  ];
  return entries.map((entry, i) => {
    const ey = MARGIN.top + 12 + i * 14;
    return `<rect x="${right - 118}" y="${ey - 8}" width="10" height="10" fill="${entry.colour}"/><text x="${right - 104}" y="${ey + 1}">${escapeMarkup(entry.label)}</text>`;
  }).join('');
}

/** Pixel coordinates with two decimals: plenty on screen, and small files. */
function fmt(v: number): string {
  return String(Math.round(v * 100) / 100);
}
