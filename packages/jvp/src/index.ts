// @scm/jvp: forward-mode autodiff (Jacobian-vector products) over TensorFlow.js ops, for sCM's
// dF/dt (Lu & Song 2024, Alg. 1, App. F).
export { DtypeError, JvpArgumentError, MissingJvpRuleError, ShapeError } from "./errors.js";
export { bilinear, linear, sumTangents, zero } from "./factories.js";
export { type JvpOptions, jvp, type Outputs } from "./jvp.js";
export { gelu, silu } from "./ops/activations.js";
export {
  abs,
  add,
  broadcastTo,
  clipByValue,
  div,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  relu,
  rsqrt,
  sqrt,
  square,
  sub,
  where,
} from "./ops/arithmetic.js";
export { type AttentionOptions, attention } from "./ops/attention.js";
export { conv2dBias } from "./ops/conv-bias.js";
export {
  convFilterGrad,
  convFilterGradGemm,
  convInputGradConv,
  convPath,
  convSame,
  convSameBias,
  rowsMatMul,
} from "./ops/conv-same.js";
export { dropout, dropoutMask, withSharedDropoutMasks } from "./ops/dropout.js";
export { avgPool, resizeBilinear, resizeNearestNeighbor } from "./ops/image.js";
export { conv2d, conv2dTranspose, depthwiseConv2d, matMul, type Padding, type Pair2 } from "./ops/linalg.js";
export {
  cast,
  equal,
  greater,
  greaterEqual,
  less,
  lessEqual,
  logicalAnd,
  sign,
  stopGradient,
} from "./ops/logic.js";
export { groupNorm, layerNorm, moments, pixelNorm } from "./ops/norms.js";
export { type Axis, logSumExp, max, mean, softmax, sum } from "./ops/reduction.js";
export { scaleShift } from "./ops/scale-shift.js";
export {
  concat,
  expandDims,
  gather,
  pad,
  reshape,
  slice,
  split,
  squeeze,
  tile,
  transpose,
} from "./ops/shape.js";
export { cos, erf, exp, log, sigmoid, sin, softplus, tanh } from "./ops/unary.js";
export { type PrimitiveName, primitives } from "./primitives.js";
export {
  bind,
  type Input,
  identity,
  isTracing,
  type JointRule,
  type Primitive,
  type RuleArgs,
  type Tangent,
  type TangentRule,
  type Tangents,
  tangentOf,
} from "./trace.js";
