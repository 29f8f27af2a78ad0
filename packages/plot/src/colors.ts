// Colours: matplotlib's tab10 cycle, and hex ↔ RGB for the rasteriser.

/** matplotlib's "tab10" colour cycle. */
export const palette = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
] as const;

/** [r, g, b] of a "#rrggbb" colour. */
export function hexToRgb(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (m === null) throw new RangeError(`The colour is "${hex}"; expected "#rrggbb".`);
  const n = Number.parseInt(m[1] as string, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
