// SVG rendering of a chart layout: a self-contained <svg> document (white background, grid, axes,
// tick labels, curves or points, legend).
import type { Layout } from "./layout.js";

const n = (v: number): string => String(Math.round(v * 100) / 100);

/** Escapes text for SVG content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] as string,
  );
}

/** Renders a layout as an SVG document string. */
export function layoutToSvg(l: Layout): string {
  const { left, top, right, bottom } = l.area;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${l.width}" height="${l.height}" viewBox="0 0 ${l.width} ${l.height}" font-family="sans-serif" font-size="11">`,
  );
  out.push(`<rect x="0" y="0" width="${l.width}" height="${l.height}" fill="#ffffff"/>`);
  out.push(`<g class="grid" stroke="#e6e6e6" stroke-width="1">`);
  for (const t of l.x.ticks)
    out.push(`<line x1="${n(l.x(t))}" y1="${top}" x2="${n(l.x(t))}" y2="${bottom}"/>`);
  for (const t of l.y.ticks)
    out.push(`<line x1="${left}" y1="${n(l.y(t))}" x2="${right}" y2="${n(l.y(t))}"/>`);
  out.push(`</g>`);
  out.push(
    `<rect class="frame" x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#333333"/>`,
  );
  out.push(`<g class="labels" fill="#333333">`);
  for (const t of l.labels) {
    out.push(`<text x="${n(t.x)}" y="${n(t.y)}" text-anchor="${t.anchor}">${escapeXml(t.text)}</text>`);
  }
  out.push(`</g>`);
  for (const line of l.lines) {
    out.push(`<g class="series" data-name="${escapeXml(line.name)}">`);
    for (const run of line.runs) {
      const pts = run.map(([x, y]) => `${n(x)},${n(y)}`).join(" ");
      out.push(
        `<polyline points="${pts}" fill="none" stroke="${line.color}" stroke-width="${line.width}" stroke-opacity="${line.opacity}" stroke-linejoin="round"/>`,
      );
    }
    out.push(`</g>`);
  }
  for (const p of l.points) {
    out.push(
      `<g class="points" data-name="${escapeXml(p.name)}" fill="${p.color}" fill-opacity="${p.opacity}">`,
    );
    for (const [x, y] of p.xy) out.push(`<circle cx="${n(x)}" cy="${n(y)}" r="${p.radius}"/>`);
    out.push(`</g>`);
  }
  out.push(`<g class="legend">`);
  out.push(
    `<rect x="${right - 104}" y="${top + 2}" width="100" height="${14 * l.legend.length + 4}" fill="#ffffff" fill-opacity="0.85"/>`,
  );
  l.legend.forEach((e, i) => {
    const y = top + 12 + 14 * i;
    out.push(
      `<line x1="${right - 100}" y1="${y - 4}" x2="${right - 84}" y2="${y - 4}" stroke="${e.color}" stroke-width="3"/>`,
    );
    out.push(`<text x="${right - 80}" y="${y}" fill="#333333">${escapeXml(e.name)}</text>`);
  });
  out.push(`</g>`);
  out.push(`</svg>`);
  return `${out.join("\n")}\n`;
}
