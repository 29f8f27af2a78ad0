// Activations built from primitives, so their JVPs need no rule of their own (tinygrad style).
import type { Tensor } from "@scm/backend";
import { add, mul } from "./arithmetic.js";
import { erf, sigmoid } from "./unary.js";

/** SiLU / swish, x·σ(x) (EDM2's activation). */
export function silu(x: Tensor): Tensor {
  return mul(x, sigmoid(x));
}

/** GELU, exact form x·Φ(x) = ½x(1 + erf(x/√2)) (Hendrycks & Gimpel 2016). */
export function gelu(x: Tensor): Tensor {
  return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
}
