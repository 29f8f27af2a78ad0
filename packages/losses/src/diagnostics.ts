// Per-step diagnostics (§4.2 discussion of training signals): the loss, ‖g‖ before normalisation,
// w_φ = −logvar, and the loss by t-bin, all from [B] read-backs of one step.

/** The loss of the samples whose t falls in [tLow, tHigh). */
export interface TimeBin {
  readonly tLow: number;
  readonly tHigh: number;
  /** How many samples fell in the bin. */
  readonly count: number;
  /** Their mean loss (NaN when empty). */
  readonly meanLoss: number;
}

/** Splits [0, π/2] into `bins` equal bins and averages `perSample` over the samples in each (float64). */
export function lossByTimeBin(t: ArrayLike<number>, perSample: ArrayLike<number>, bins: number): TimeBin[] {
  const width = Math.PI / 2 / bins;
  const sum = new Float64Array(bins);
  const count = new Float64Array(bins);
  for (let i = 0; i < t.length; i++) {
    const k = Math.min(bins - 1, Math.max(0, Math.floor(t[i]! / width)));
    sum[k] = sum[k]! + perSample[i]!;
    count[k] = count[k]! + 1;
  }
  return Array.from({ length: bins }, (_, k) => ({
    tLow: k * width,
    tHigh: (k + 1) * width,
    count: count[k]!,
    meanLoss: count[k]! > 0 ? sum[k]! / count[k]! : Number.NaN,
  }));
}

/** The float64 mean of an array (NaN when empty). */
export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return values.length > 0 ? s / values.length : Number.NaN;
}
