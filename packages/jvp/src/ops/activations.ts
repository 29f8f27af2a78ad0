// Activations. GELU is built from primitives (its JVP needs no rule of its own); SiLU, on every
// residual path of the networks, is a primitive with a joint rule that reuses σ(x) and costs four
// elementwise ops instead of the composite's six (tested against the composite x·σ(x)).
import { FusedKernel, fusedKernelAvailable, fusedSilu, sameShape, type Tensor, tf } from "@scm/backend";
import { atBaseLevel, bind, type Primitive } from "../trace.js";
import { add, mul, sub } from "./arithmetic.js";
import { erf, sigmoid } from "./unary.js";

/**
 * SiLU and its JVP at once, [x·σ(x), ẋ·(σ + x·σ·(1 − σ))], by the active backend's fused kernels (the
 * tangent is SiLU's gradient kernel applied to ẋ); undefined where it has none. Called at the base level
 * only (atBaseLevel): the gradient kernel has no gradient of its own.
 */
function fusedSiluJvp(x: Tensor, t: Tensor): [Tensor, Tensor] | undefined {
  if (t.dtype !== "float32" || !sameShape(x.shape, t.shape)) return undefined;
  if (!fusedKernelAvailable(FusedKernel.siluGrad)) return undefined;
  const y = fusedSilu(x);
  if (y === undefined) return undefined;
  return [y, tf.engine().runKernel(FusedKernel.siluGrad, { x, dy: t }) as Tensor];
}

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
