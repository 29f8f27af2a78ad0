// @scm/trigflow/testing: closed-form references and float64 statistics for tests of samplers,
// losses and training.
export { type GaussianOracle, gaussianOracle } from "./gaussian-oracle.js";
export { linearFit, maxRelativeError, sampleMean, sampleStd } from "./stats.js";
