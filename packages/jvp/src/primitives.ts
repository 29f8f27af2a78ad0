// The one table of primitives (JAX ad.py's `primitive_jvps`): every op with a tfjs implementation
// and its JVP rule. The `Primitive` type requires exactly one rule, so a primitive without one does
// not compile; composites (gelu, moments, pixelNorm, split, dropout, direct attention) are not
// here because they are built from these.
import { activationPrimitives } from "./ops/activations.js";
import { arithmeticPrimitives } from "./ops/arithmetic.js";
import { attentionPrimitives } from "./ops/attention.js";
import { convBiasPrimitives } from "./ops/conv-bias.js";
import { imagePrimitives } from "./ops/image.js";
import { linalgPrimitives } from "./ops/linalg.js";
import { logicPrimitives } from "./ops/logic.js";
import { normPrimitives } from "./ops/norms.js";
import { reductionPrimitives } from "./ops/reduction.js";
import { scaleShiftPrimitives } from "./ops/scale-shift.js";
import { shapePrimitives } from "./ops/shape.js";
import { unaryPrimitives } from "./ops/unary.js";
import { type Input, type Primitive, type PrimitiveBase, tracePrimitives } from "./trace.js";

// biome-ignore lint/suspicious/noExplicitAny: each entry is checked against its own input and parameter types.
type AnyPrimitive = PrimitiveBase<any, any> & ({ readonly jvp: unknown } | { readonly jointJvp: unknown });

/** Every primitive of @scm/jvp by name, each with its tfjs implementation and JVP rule. */
export const primitives = {
  ...tracePrimitives,
  ...arithmeticPrimitives,
  ...unaryPrimitives,
  ...logicPrimitives,
  ...reductionPrimitives,
  ...shapePrimitives,
  ...linalgPrimitives,
  ...convBiasPrimitives,
  ...imagePrimitives,
  ...activationPrimitives,
  ...normPrimitives,
  ...scaleShiftPrimitives,
  ...attentionPrimitives,
} as const satisfies Record<string, AnyPrimitive>;

/** The name of a primitive in the table. */
export type PrimitiveName = keyof typeof primitives;

export type { Input, Primitive };
