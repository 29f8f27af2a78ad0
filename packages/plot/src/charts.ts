// The public charts: a loss-curve line chart and a 2-D scatter of samples over data, each as SVG or
// as a [H, W, 3] uint8 image.
import type ndarray from "ndarray";
import {
  type LineChartOptions,
  lineChartLayout,
  type Points,
  type ScatterOptions,
  type Series,
  scatterLayout,
} from "./layout.js";
import { layoutToCanvas } from "./raster.js";
import { layoutToSvg } from "./svg.js";

/** A line chart of several series (loss curves) as an SVG document: axes, tick labels, legend, optional log-y and smoothing. */
export function lineChartSvg(series: readonly Series[], options: LineChartOptions = {}): string {
  return layoutToSvg(lineChartLayout(series, options));
}

/** The same line chart as a [H, W, 3] uint8 image (5x7 bitmap labels) for `encodePng`. */
export function lineChartImage(
  series: readonly Series[],
  options: LineChartOptions = {},
): ndarray.NdArray<Uint8Array> {
  return layoutToCanvas(lineChartLayout(series, options)).toImage();
}

/** A 2-D scatter of samples (orange) over reference data (blue) as an SVG document, equal scales on both axes. */
export function scatterSvg(samples: Points, reference: Points, options: ScatterOptions = {}): string {
  return layoutToSvg(scatterLayout(samples, reference, options));
}

/** The same scatter as a [H, W, 3] uint8 image for `encodePng`. */
export function scatterImage(
  samples: Points,
  reference: Points,
  options: ScatterOptions = {},
): ndarray.NdArray<Uint8Array> {
  return layoutToCanvas(scatterLayout(samples, reference, options)).toImage();
}
