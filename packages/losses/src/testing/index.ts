// @scm/losses/testing: small networks for tests of losses and training loops, built from @scm/jvp ops.
export { type LinearTimeModel, linearTimeModel } from "./linear-model.js";
export { idealConsistencyNet, idealDiffusionNet } from "./oracle-networks.js";
