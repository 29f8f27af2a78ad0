// The helpers that run one program on two backends and measure how far apart the results are live
// beside the native kernels' tests, in @scm/backend-native (the lowest package that imports tfjs, the
// same instance as this one's); re-exported here for the packages above, which take tfjs things
// from @scm/backend.
export {
  errorOn,
  type HostTensor,
  relativeError,
  runOn,
  valueMismatches,
} from "@scm/backend-native/testing/compare-backends";
