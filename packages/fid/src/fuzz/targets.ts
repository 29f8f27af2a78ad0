// @scm/fid's fuzz targets: the PyTorch checkpoint reader, at the file level and at the pickle level
// (a mutated data.pkl inside a well-formed zip, which reaches the unpickler past the zip's CRC).
import { FormatError } from "@scm/io";
import type { FuzzTarget } from "@scm/io/testing";
import { TorchPickleError } from "../errors.js";
import { readTorchStateDict } from "../torch-checkpoint.js";
import { checkpointCorpus, statePickleCorpus, zipCheckpoint } from "./checkpoint-corpus.js";

const expected = (e: unknown) => e instanceof TorchPickleError || e instanceof FormatError;

/** The fuzz targets of @scm/fid (`fuzzTargets` is the name the fuzz CLI imports). */
export const fuzzTargets: readonly FuzzTarget[] = [
  { name: "pth", corpus: checkpointCorpus, decode: (b) => readTorchStateDict(b, "fuzz.pth"), expected },
  {
    name: "pth-pickle",
    corpus: statePickleCorpus,
    wrap: zipCheckpoint,
    decode: (b) => readTorchStateDict(b, "fuzz.pth"),
    expected,
  },
];
