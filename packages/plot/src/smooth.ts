// Moving-average smoothing for noisy loss curves.

/** Trailing moving average: out[i] = mean of the finite values among values[i−window+1..i] (NaN when none). */
export function movingAverage(values: ArrayLike<number>, window: number): Float64Array {
  if (!Number.isSafeInteger(window) || window < 1) {
    throw new RangeError(`The smoothing window is ${window}; expected a positive integer.`);
  }
  const out = new Float64Array(values.length);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) {
      sum += v;
      count++;
    }
    if (i >= window) {
      const old = values[i - window] as number;
      if (Number.isFinite(old)) {
        sum -= old;
        count--;
      }
    }
    out[i] = count > 0 ? sum / count : Number.NaN;
  }
  return out;
}
