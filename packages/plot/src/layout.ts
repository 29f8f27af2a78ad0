// Chart geometry shared by the SVG writer and the rasteriser: the plot area, scales, tick marks
// and labels, polylines and points in pixel coordinates (y grows downwards).
import { palette } from "./colors.js";
import { formatTick, linearScale, logDomain, logScale, niceDomain, type Scale } from "./scale.js";
import { movingAverage } from "./smooth.js";

/** A text label: its anchor point, alignment and content. */
export interface Label {
  x: number;
  y: number;
  text: string;
  anchor: "start" | "middle" | "end";
}

/** A chart reduced to geometry: what both renderers draw. */
export interface Layout {
  width: number;
  height: number;
  /** The plot area: left, top, right, bottom pixels. */
  area: { left: number; top: number; right: number; bottom: number };
  x: Scale;
  y: Scale;
  /** Tick labels and titles. */
  labels: Label[];
  /** Polylines (each a list of runs without gaps) with colour, width and opacity. */
  lines: { name: string; color: string; width: number; opacity: number; runs: [number, number][][] }[];
  /** Point sets with colour and radius. */
  points: { name: string; color: string; radius: number; opacity: number; xy: [number, number][] }[];
  /** Legend entries, drawn at the top right of the plot area. */
  legend: { name: string; color: string }[];
}

/** One curve of a line chart. */
export interface Series {
  /** The legend name. */
  name: string;
  /** The values (e.g. loss per step); NaN and, on a log axis, values ≤ 0 leave gaps. */
  y: ArrayLike<number>;
  /** The x values (default 0, 1, 2, ...). */
  x?: ArrayLike<number>;
  /** A "#rrggbb" colour (default: the tab10 cycle). */
  color?: string;
}

/** Options for `lineChartSvg` / `lineChartImage`. */
export interface LineChartOptions {
  /** Pixels (default 640 x 400). */
  width?: number;
  height?: number;
  /** A log-10 y axis (for losses spanning decades). */
  logY?: boolean;
  /** Trailing moving-average window; the raw curve is drawn faintly beneath the smoothed one. */
  smoothing?: number;
  /** Title above the plot. */
  title?: string;
  /** Axis captions. */
  xLabel?: string;
  yLabel?: string;
}

const MARGIN = { left: 64, right: 16, top: 28, bottom: 40 };

function area(width: number, height: number) {
  return { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
}

function axisLabels(l: Layout, title?: string, xLabel?: string, yLabel?: string): void {
  const a = l.area;
  for (const t of l.x.ticks)
    l.labels.push({ x: l.x(t), y: a.bottom + 14, text: formatTick(t), anchor: "middle" });
  for (const t of l.y.ticks)
    l.labels.push({ x: a.left - 6, y: l.y(t) + 3, text: formatTick(t), anchor: "end" });
  if (title) l.labels.push({ x: (a.left + a.right) / 2, y: 16, text: title, anchor: "middle" });
  if (xLabel) l.labels.push({ x: (a.left + a.right) / 2, y: l.height - 8, text: xLabel, anchor: "middle" });
  if (yLabel) l.labels.push({ x: 4, y: a.top - 10, text: yLabel, anchor: "start" });
}

function extent(values: Iterable<number>, positiveOnly: boolean): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v) || (positiveOnly && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : positiveOnly ? [1, 10] : [0, 1];
}

/** The geometry of a line chart of several series (shared by the SVG and raster renderers). */
export function lineChartLayout(series: readonly Series[], options: LineChartOptions = {}): Layout {
  const width = options.width ?? 640;
  const height = options.height ?? 400;
  const logY = options.logY ?? false;
  const a = area(width, height);
  const xsOf = (s: Series) => s.x ?? Float64Array.from({ length: s.y.length }, (_, i) => i);
  const allX: number[] = [];
  const allY: number[] = [];
  for (const s of series) {
    allX.push(...Array.from(xsOf(s)));
    allY.push(...Array.from(s.y));
  }
  const [x0, x1] = extent(allX, false);
  const [y0, y1] = extent(allY, logY);
  const x = linearScale(niceDomain(x0, x1, 6), [a.left, a.right], 6);
  const y = logY
    ? logScale(logDomain(y0, y1), [a.bottom, a.top])
    : linearScale(niceDomain(y0, y1), [a.bottom, a.top]);
  const l: Layout = { width, height, area: a, x, y, labels: [], lines: [], points: [], legend: [] };
  axisLabels(l, options.title, options.xLabel, options.yLabel);
  series.forEach((s, k) => {
    const color = s.color ?? (palette[k % palette.length] as string);
    const xs = xsOf(s);
    const runsOf = (ys: ArrayLike<number>): [number, number][][] => {
      const runs: [number, number][][] = [];
      let run: [number, number][] = [];
      for (let i = 0; i < ys.length; i++) {
        const py = y(ys[i] as number);
        const px = x(xs[i] as number);
        if (Number.isFinite(py) && Number.isFinite(px)) run.push([px, py]);
        else if (run.length > 0) {
          runs.push(run);
          run = [];
        }
      }
      if (run.length > 0) runs.push(run);
      return runs;
    };
    if (options.smoothing !== undefined && options.smoothing > 1) {
      l.lines.push({ name: `${s.name} (raw)`, color, width: 1, opacity: 0.3, runs: runsOf(s.y) });
      l.lines.push({
        name: s.name,
        color,
        width: 1.5,
        opacity: 1,
        runs: runsOf(movingAverage(s.y, options.smoothing)),
      });
    } else {
      l.lines.push({ name: s.name, color, width: 1.5, opacity: 1, runs: runsOf(s.y) });
    }
    l.legend.push({ name: s.name, color });
  });
  return l;
}

/** Options for `scatterSvg` / `scatterImage`. */
export interface ScatterOptions {
  /** Pixels (default 400 x 400). */
  width?: number;
  height?: number;
  /** The square data window [lo, hi] on both axes (default: nice bounds around both point sets). */
  domain?: [number, number];
  /** Legend names (default "samples", "data"). */
  sampleName?: string;
  referenceName?: string;
  /** Colours (default tab10 orange for samples, blue for data). */
  sampleColor?: string;
  referenceColor?: string;
  /** Point radius in pixels (default 1.5). */
  radius?: number;
  /** Title above the plot. */
  title?: string;
}

/** Points from a flat [x0, y0, x1, y1, ...] array (a 2-D Dataset's x) or a list of pairs. */
export type Points = ArrayLike<number> | readonly (readonly [number, number])[];

function toPairs(p: Points, what: string): [number, number][] {
  const out: [number, number][] = [];
  const first = (p as ArrayLike<unknown>)[0];
  if (Array.isArray(first)) {
    for (const q of p as readonly (readonly [number, number])[]) out.push([q[0], q[1]]);
  } else {
    const f = p as ArrayLike<number>;
    if (f.length % 2 !== 0)
      throw new RangeError(`${what} holds ${f.length} numbers; expected x, y pairs (an even count).`);
    for (let i = 0; i < f.length; i += 2) out.push([f[i] as number, f[i + 1] as number]);
  }
  return out;
}

/** The geometry of a 2-D scatter of samples over reference data (equal scales on both axes). */
export function scatterLayout(samples: Points, reference: Points, options: ScatterOptions = {}): Layout {
  const width = options.width ?? 400;
  const height = options.height ?? 400;
  const a = area(width, height);
  const s = toPairs(samples, "The samples");
  const r = toPairs(reference, "The reference data");
  let domain = options.domain;
  if (domain === undefined) {
    // one window for both axes, around both sets (non-finite points ignored)
    const [lo, hi] = extent([...r, ...s].flat(), false);
    domain = niceDomain(lo, hi);
  }
  const x = linearScale(domain, [a.left, a.right]);
  const y = linearScale(domain, [a.bottom, a.top]);
  const l: Layout = { width, height, area: a, x, y, labels: [], lines: [], points: [], legend: [] };
  axisLabels(l, options.title);
  const radius = options.radius ?? 1.5;
  const inside = (p: [number, number]) =>
    p.every(Number.isFinite) &&
    p[0] >= domain[0] &&
    p[0] <= domain[1] &&
    p[1] >= domain[0] &&
    p[1] <= domain[1];
  const referenceColor = options.referenceColor ?? palette[0];
  const sampleColor = options.sampleColor ?? palette[1];
  const project = (ps: [number, number][]) =>
    ps.filter(inside).map(([px, py]) => [x(px), y(py)] as [number, number]);
  l.points.push({
    name: options.referenceName ?? "data",
    color: referenceColor,
    radius,
    opacity: 0.5,
    xy: project(r),
  });
  l.points.push({
    name: options.sampleName ?? "samples",
    color: sampleColor,
    radius,
    opacity: 0.8,
    xy: project(s),
  });
  l.legend.push({ name: options.referenceName ?? "data", color: referenceColor });
  l.legend.push({ name: options.sampleName ?? "samples", color: sampleColor });
  return l;
}
