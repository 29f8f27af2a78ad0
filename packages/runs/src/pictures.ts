// The pictures of a run: sample grids (PNG) and the loss curve (SVG and PNG), and for 2-D data a
// scatter of samples over the data.
import type { Tensor } from "@scm/backend";
import { toUint8Image } from "@scm/data";
import { formatShape } from "@scm/errors";
import { encodePng, imageGrid } from "@scm/io";
import { lineChartImage, lineChartSvg, type Series, scatterImage } from "@scm/plot";
import { RunError } from "./errors.js";

/** What `dataSync()` and `data()` give for a numeric tensor. */
type Values = Float32Array | Int32Array | Uint8Array;

/** A PNG grid of image samples [N, H, W, C] with values in [−1, 1] (clipped), `columns` per row. */
export function sampleGridPng(samples: Tensor, columns?: number): Uint8Array {
  return gridPng(gridShape(samples), samples.dataSync(), columns);
}

/** `sampleGridPng` reading the samples with `await data()`, for backends without synchronous reads. */
export async function sampleGridPngAsync(samples: Tensor, columns?: number): Promise<Uint8Array> {
  const shape = gridShape(samples); // before the read: a wrong shape fails without waiting on the device
  return gridPng(shape, await samples.data(), columns);
}

/** A PNG scatter of 2-D samples [N, 2] over reference points (flat x,y pairs). */
export function scatterPng(samples: Tensor, reference: ArrayLike<number>, title?: string): Uint8Array {
  checkPoints(samples);
  return scatter(samples.dataSync(), reference, title);
}

/** `scatterPng` reading the samples with `await data()`, for backends without synchronous reads. */
export async function scatterPngAsync(
  samples: Tensor,
  reference: ArrayLike<number>,
  title?: string,
): Promise<Uint8Array> {
  checkPoints(samples);
  return scatter(await samples.data(), reference, title);
}

function gridShape(samples: Tensor): [number, number, number, number] {
  if (samples.rank !== 4) {
    throw new RunError(`Sample grids need images [N, H, W, C]; got shape ${formatShape(samples.shape)}.`);
  }
  return samples.shape as [number, number, number, number];
}

function gridPng(
  [n, h, w, c]: [number, number, number, number],
  values: Values,
  columns?: number,
): Uint8Array {
  const tiles = Array.from({ length: n }, (_, i) =>
    toUint8Image(values.subarray(i * h * w * c, (i + 1) * h * w * c), [h, w, c]),
  );
  return encodePng(imageGrid(tiles, columns === undefined ? {} : { columns }));
}

function checkPoints(samples: Tensor): void {
  if (samples.rank !== 2 || samples.shape[1] !== 2) {
    throw new RunError(`A scatter plot needs 2-D points [N, 2]; got shape ${formatShape(samples.shape)}.`);
  }
}

function scatter(values: Values, reference: ArrayLike<number>, title?: string): Uint8Array {
  return encodePng(scatterImage(values, reference, title === undefined ? {} : { title }));
}

/** One logged training step, as written to metrics.jsonl. */
export interface MetricsRow {
  /** Steps taken when the row was logged, counting from 1 (as checkpoints and the progress bar do). */
  readonly step: number;
  readonly loss: number;
  readonly [key: string]: unknown;
}

function lossSeries(rows: readonly MetricsRow[]): Series[] {
  return [{ name: "loss", x: rows.map((r) => r.step), y: rows.map((r) => r.loss) }];
}

const lossChart = (rows: readonly MetricsRow[]) => ({
  title: "training loss",
  xLabel: "step",
  smoothing: Math.max(1, Math.round(rows.length / 50)),
});

/** The loss curve as SVG. */
export function lossCurveSvg(rows: readonly MetricsRow[]): string {
  return lineChartSvg(lossSeries(rows), lossChart(rows));
}

/** The loss curve as PNG. */
export function lossCurvePng(rows: readonly MetricsRow[]): Uint8Array {
  return encodePng(lineChartImage(lossSeries(rows), lossChart(rows)));
}

/** One row of fid.jsonl: the step and an FID per sampling method (`fid-1step`, `fid-heun`, …). */
export type FidRow = { readonly step: number } & Readonly<Record<string, number>>;

/** FID against training images seen, one line per sampling method, names prefixed by `run`. */
export function fidSeries(rows: readonly FidRow[], batchSize: number, run = ""): Series[] {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => k.startsWith("fid"))))];
  return keys.map((key) => ({
    name: `${run}${run === "" ? "" : " "}${key.replace(/^fid-?/, "")}`,
    x: rows.map((r) => r.step * batchSize),
    y: rows.map((r) => r[key] ?? Number.NaN),
  }));
}

/** FID curves (log y: FID falls by decades early on) as PNG. */
export function fidCurvePng(series: readonly Series[], title = "FID-MNIST"): Uint8Array {
  return encodePng(lineChartImage([...series], { title, xLabel: "training images", logY: true }));
}
