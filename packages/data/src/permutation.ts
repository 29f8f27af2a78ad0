// Uniform random orderings drawn from an Rng (Fisher–Yates): a whole permutation (splits, epochs) and
// a partial one (subsets drawn without replacement). Their draw orders differ, and both are pinned by
// what was built on them (sampler states in checkpoints; the MNIST split of @scm/fid's shipped
// network), so neither is rewritten in terms of the other.
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

/** `count` distinct indices from [0, n), uniformly (a partial Fisher–Yates shuffle, front to back); advances `rng` by `count` draws. */
export function sampleWithoutReplacement(rng: Rng, n: number, count: number): Int32Array {
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rng.uniform() * (n - i));
    const t = pool[i] as number;
    pool[i] = pool[j] as number;
    pool[j] = t;
  }
  return pool.slice(0, count);
}
