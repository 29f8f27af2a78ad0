// Runs the README example (kept in sync by hand; the expected values are the ones its comments print).
import { encodePng } from "@scm/io";
import { expect, it } from "vitest";
import { lineChartImage, lineChartSvg, scatterSvg } from "./index.js";

it("runs the README example", () => {
  const loss = Array.from({ length: 200 }, (_, i) => Math.exp(-i / 50) + 0.01 * (i % 7));
  const series = [{ name: "loss", y: loss }];
  const svg = lineChartSvg(series, { logY: true, smoothing: 10, title: "sCT loss", xLabel: "step" });
  expect(svg.startsWith("<svg")).toBe(true);
  const png = encodePng(lineChartImage(series, { logY: true, smoothing: 10, width: 480, height: 300 }));
  expect(png.length > 0).toBe(true);
  const scatter = scatterSvg([0.1, 0.2, -0.3, 0.4], [0, 0, 0.5, -0.5], { domain: [-1, 1] });
  expect(scatter.includes("<circle")).toBe(true);
});
