// @scm/jvp/testing: the checks every package differentiating through @scm/jvp reuses (nets, losses).
export {
  type AllCloseOptions,
  type AllCloseReport,
  allClose,
  assertAllClose,
  type Numbers,
  relativeError,
  toFloat64,
} from "./allclose.js";
export {
  type DotProductReport,
  type FiniteDifferenceOptions,
  type JvpReport,
  jvpByDoubleVjp,
  jvpDotProductCheck,
  jvpDoubleVjpError,
  jvpFiniteDifferenceError,
  jvpReport,
  type TestFn,
} from "./checks.js";
export { jvpTolerances, randomAwayFromZero, randomDistinct } from "./inputs.js";
export { leakedTensors } from "./leaks.js";
export { fastest, timeOnce } from "./timing.js";
export { type TinyNet, tinyNet } from "./tiny-net.js";
