// Axis scales and ticks: linear and log-10 mappings from data to pixels, "nice" 1-2-5 ticks and
// tick labels short enough for the 5x7 raster font.

/** A map from data values to pixels, with its domain and ticks. */
export interface Scale {
  /** Pixel coordinate of a data value (NaN for values a log scale cannot show). */
  (v: number): number;
  /** The data interval shown. */
  domain: [number, number];
  /** The pixel interval it maps onto. */
  range: [number, number];
  /** Tick values inside the domain. */
  ticks: number[];
  /** "linear" or "log". */
  kind: "linear" | "log";
}

/** The step of about `count` "nice" ticks over [min, max]: 1, 2 or 5 times a power of ten. */
export function niceStep(min: number, max: number, count = 5): number {
  const raw = (max - min) / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw * (1 - 1e-9)) return m * p;
  return 10 * p;
}

/** k · step rounded to the step's decimals (so 17 · 0.2 is 3.4, not 3.4000000000000004). */
function onStep(k: number, step: number): number {
  return Number((k * step).toFixed(Math.min(100, Math.max(0, -Math.floor(Math.log10(step)) + 1))));
}

/** Multiples of `step` within [min, max] (rounded to the step's precision, so 0.1 + 0.2 shows as 0.3). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  const step = niceStep(min, max, count);
  const ticks: number[] = [];
  for (let k = Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++) ticks.push(onStep(k, step));
  return ticks;
}

/** [min, max] widened to whole nice steps (a zero-width interval grows to ±1, or ±10% of its value). */
export function niceDomain(min: number, max: number, count = 5): [number, number] {
  if (min === max) {
    const d = min === 0 ? 1 : Math.abs(min) * 0.1;
    return niceDomain(min - d, max + d, count);
  }
  const step = niceStep(min, max, count);
  return [onStep(Math.floor(min / step + 1e-9), step), onStep(Math.ceil(max / step - 1e-9), step)];
}

/** A linear scale mapping domain [d0, d1] onto pixels [r0, r1], with nice ticks. */
export function linearScale(domain: [number, number], range: [number, number], tickCount = 5): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = (r1 - r0) / (d1 - d0);
  const f = ((v: number) => r0 + (v - d0) * k) as Scale;
  f.domain = domain;
  f.range = range;
  f.ticks = niceTicks(Math.min(d0, d1), Math.max(d0, d1), tickCount);
  f.kind = "linear";
  return f;
}

/** A log-10 scale mapping domain [d0, d1] (both > 0) onto pixels [r0, r1]; ticks at powers of ten (and 2, 5 times them within one or two decades). */
export function logScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const l0 = Math.log10(d0);
  const k = (r1 - r0) / (Math.log10(d1) - l0);
  const f = ((v: number) => (v > 0 ? r0 + (Math.log10(v) - l0) * k : Number.NaN)) as Scale;
  f.domain = domain;
  f.range = range;
  const lo = Math.floor(Math.log10(Math.min(d0, d1)) + 1e-9);
  const hi = Math.ceil(Math.log10(Math.max(d0, d1)) - 1e-9);
  const mults = hi - lo <= 2 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++) {
    for (const m of mults) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= Math.min(d0, d1) * (1 - 1e-9) && v <= Math.max(d0, d1) * (1 + 1e-9)) ticks.push(v);
    }
  }
  f.ticks = ticks;
  f.kind = "log";
  return f;
}

/** The smallest power-of-ten interval holding [min, max] (both > 0). */
export function logDomain(min: number, max: number): [number, number] {
  const lo = Math.floor(Math.log10(min) + 1e-9);
  let hi = Math.ceil(Math.log10(max) - 1e-9);
  if (hi === lo) hi = lo + 1;
  return [10 ** lo, 10 ** hi];
}

/** A short tick label: plain decimals for 1e-3 ≤ |v| < 1e5, else "1e-4" style. */
export function formatTick(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) {
    const [m, e] = v.toExponential().split("e") as [string, string];
    const mant = Number(Number(m).toPrecision(3));
    return `${mant}e${e.replace("+", "")}`;
  }
  return String(Number(v.toPrecision(6)));
}
