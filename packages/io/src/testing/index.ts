// @scm/io/testing: the fuzz suite's parts, for this package's tests and any package with decoders of
// its own (@scm/fid's PyTorch reader): a seeded mutator, a valid corpus, the fuzz loop, a minimizer.
export { csvCorpus, imageCorpus, npyCorpus, npzCorpus, safetensorsCorpus } from "./corpus.js";
export { type DeflatedEntry, deflatedZip } from "./deflate-zip.js";
export { fixtureName, fixtureTarget } from "./fixture-name.js";
export { describeCrash, type FuzzCrash, type FuzzReport, fuzz } from "./fuzz.js";
export { minimize } from "./minimize.js";
export { type Mutation, mutate, mutations } from "./mutate.js";
export { caseRng, mulberry32, type Rng } from "./rng.js";
export { caseInput, classify, type Outcome, signatureOf } from "./run-case.js";
export type { FuzzTarget } from "./target.js";
export { fuzzTargets as ioFuzzTargets } from "./targets.js";
