// scm-sample as a library.
export { type SampleConfig, sampleOptions } from "./options.js";
export { type SampleOutcome, sample } from "./sample.js";
