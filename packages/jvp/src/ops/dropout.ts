// Dropout with an explicit mask (paper §3 note, docs/math.md §3: the mask must be identical in the JVP
// pass and any pass compared with it), so the same mask serves the primal and the tangent.
import { fusedDropoutMask, type Rng, type Shape, type Tensor, tf } from "@scm/backend";
import { JvpArgumentError } from "../errors.js";
import { mul } from "./arithmetic.js";

/** x⊙mask; `mask` (from `dropoutMask`, broadcastable to x) carries no tangent, so ẏ = ẋ⊙mask. */
export function dropout(x: Tensor, mask: Tensor): Tensor {
  return mul(x, mask);
}

/**
 * A dropout mask of `shape` drawn from `rng`: 0 with probability `rate`, else 1/(1 − rate). Pass a
 * stream of its own (`rng.at(layer)`): whether `rng` advances depends on the backend. The native
 * backend draws the same numbers in C (@scm/backend's fusedDropoutMask); elsewhere this loop.
 */
export function dropoutMask(rng: Rng, shape: Shape, rate: number): Tensor {
  if (!(rate >= 0 && rate < 1))
    throw new JvpArgumentError("The dropout rate", String(rate), "a number in [0, 1)");
  if (shared === undefined) return drawMask(rng, shape, rate);
  const key = `${rng.state().s.join(",")}|${shape.join(",")}|${rate}`;
  let mask = shared.get(key);
  if (mask === undefined) {
    mask = tf.keep(drawMask(rng, shape, rate));
    shared.set(key, mask);
  }
  return mask.clone(); // the caller's to dispose, as a fresh draw would be
}

// Masks drawn inside `withSharedDropoutMasks`, by stream state, shape and rate.
let shared: Map<string, Tensor> | undefined;

/**
 * Runs `fn` with dropout masks shared: a mask asked for twice with the same stream state, shape and rate
 * is drawn once. A training step's JVP pass and gradient pass draw identical masks (same Rng, docs/math.md
 * §3); inside this scope the second pass reuses the first's instead of drawing them again. The masks
 * are freed when `fn` returns; results are unchanged.
 */
export function withSharedDropoutMasks<T>(fn: () => T): T {
  if (shared !== undefined) return fn(); // nested: the outer scope shares
  shared = new Map();
  try {
    return fn();
  } finally {
    tf.dispose([...shared.values()]);
    shared = undefined;
  }
}

function drawMask(rng: Rng, shape: Shape, rate: number): Tensor {
  const fused = fusedDropoutMask(rng, shape, rate);
  if (fused !== undefined) return fused;
  const u = rng.fillUniform(new Float32Array(shape.reduce((a, b) => a * b, 1)));
  const keep = 1 / (1 - rate);
  for (let i = 0; i < u.length; i++) u[i] = u[i]! < rate ? 0 : keep;
  return tf.tensor(u, shape, "float32");
}
