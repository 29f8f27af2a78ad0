// @scm/io's own fuzz targets: every public decoder, each refusing bad input with a FormatError.
import { parseCsv } from "../csv.js";
import { FormatError } from "../errors.js";
import { decodeImage } from "../image.js";
import { decodeNpy } from "../npy.js";
import { decodeNpz } from "../npz.js";
import { decodeSafetensors } from "../safetensors.js";
import { writeZip } from "../zip.js";
import { csvCorpus, imageCorpus, npyCorpus, npzCorpus, safetensorsCorpus } from "./corpus.js";
import type { FuzzTarget } from "./target.js";

const isFormatError = (e: unknown) => e instanceof FormatError;

/** The decoders of @scm/io as fuzz targets (`fuzzTargets` is the name the fuzz CLI imports). */
export const fuzzTargets: readonly FuzzTarget[] = [
  {
    name: "safetensors",
    corpus: safetensorsCorpus,
    decode: (b) => decodeSafetensors(b),
    expected: isFormatError,
  },
  { name: "npy", corpus: npyCorpus, decode: (b) => decodeNpy(b), expected: isFormatError },
  { name: "npz", corpus: npzCorpus, decode: (b) => decodeNpz(b), expected: isFormatError },
  {
    // a mutated .npy inside a well-formed archive: reaches the .npy decoder past the zip CRC check
    name: "npz-entry",
    corpus: npyCorpus,
    wrap: (b) => writeZip({ "x.npy": b }),
    decode: (b) => decodeNpz(b),
    expected: isFormatError,
  },
  { name: "image", corpus: imageCorpus, decode: (b) => decodeImage(b), expected: isFormatError },
  {
    name: "csv",
    corpus: csvCorpus,
    decode: (b) => parseCsv(new TextDecoder().decode(b)),
    expected: isFormatError,
  },
];
