// A uniform random permutation drawn from an Rng (Fisher–Yates), the shuffle behind splits and epochs.
import type { Rng } from "@scm/backend";

/** A uniformly random permutation of 0..n-1 (Fisher–Yates, Durstenfeld's in-place form); advances `rng` by n-1 draws. */
export function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    // floor(u · (i+1)) for u = k / 2^32: bias below 2^-32 · n, far under any sampling error here
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = p[i] as number;
    p[i] = p[j] as number;
    p[j] = t;
  }
  return p;
}
