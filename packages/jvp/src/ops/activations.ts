// Activations. GELU is built from primitives (its JVP needs no rule of its own); SiLU, on every
// residual path of the networks, is a primitive with a joint rule that reuses σ(x) and costs four
// elementwise ops instead of the composite's six (tested against the composite x·σ(x)).
import { fusedSilu, fusedSiluJvp, type Tensor, tf } from "@scm/backend";
import { atBaseLevel, bind, type Primitive } from "../trace.js";
import { add, mul, sub } from "./arithmetic.js";
import { erf, sigmoid } from "./unary.js";

export const activationPrimitives = {
  // d(x·σ(x)) = (σ + x·σ·(1 − σ))·ẋ = (σ + y·(1 − σ))·ẋ with y = x·σ(x)
  silu: {
    name: "silu",
    // A backend with a fused kernel (the native one) runs it; every other backend the composed ops.
    impl: ([x]) => fusedSilu(x) ?? tf.tidy(() => tf.mul(x, tf.sigmoid(x))),
    jointJvp: ([x], [t]) => {
      // Fused (native): y by the SiLU kernel, the tangent by its gradient kernel applied to ẋ.
      const fused = atBaseLevel(() => fusedSiluJvp(x, t!));
      if (fused !== undefined) return fused;
      const s = sigmoid(x);
      const y = mul(x, s);
      return [y, mul(t!, add(s, mul(y, sub(1, s))))];
    },
  } satisfies Primitive<readonly [Tensor], undefined>,
};

/** SiLU / swish, x·σ(x) (EDM2's activation). */
export function silu(x: Tensor): Tensor {
  return bind(activationPrimitives.silu, [x], undefined);
}

/** GELU, exact form x·Φ(x) = ½x(1 + erf(x/√2)) (Hendrycks & Gimpel 2016). */
export function gelu(x: Tensor): Tensor {
  return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
}
