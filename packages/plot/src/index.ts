// @scm/plot: loss curves and 2-D sample scatters as SVG strings or [H, W, 3] uint8 images; pure.
export { lineChartImage, lineChartSvg, scatterImage, scatterSvg } from "./charts.js";
export { hexToRgb, palette } from "./colors.js";
export { glyph, glyphHeight, glyphWidth } from "./font.js";
export {
  type Label,
  type Layout,
  type LineChartOptions,
  lineChartLayout,
  type Points,
  type ScatterOptions,
  type Series,
  scatterLayout,
} from "./layout.js";
export { Canvas, layoutToCanvas } from "./raster.js";
export {
  formatTick,
  linearScale,
  logDomain,
  logScale,
  niceDomain,
  niceStep,
  niceTicks,
  type Scale,
} from "./scale.js";
export { movingAverage } from "./smooth.js";
export { escapeXml, layoutToSvg } from "./svg.js";
