// @scm/io: the file formats of sCM-TS, as pure codecs on Uint8Array (browser-safe). File helpers
// that use node:fs live in the "@scm/io/node" entry.
export { type CsvTable, type ParseCsvOptions, parseCsv, parseCsvTable } from "./csv.js";
export { boundedJson, describe, quote } from "./describe.js";
export type { DType, HostData, NdArray } from "./dtype.js";
export { CsvError, FormatError, type FormatName, LimitError } from "./errors.js";
export { bfloat16ToFloat32, float32ToBfloat16, float32ToHalf, halfToFloat32 } from "./float16.js";
export { decodeImage, encodePng } from "./image.js";
export { type ImageGridOptions, imageGrid } from "./image-grid.js";
export { defaultReadLimits, type ReadLimits, readLimits } from "./limits.js";
export { decodeNpy, encodeNpy } from "./npy.js";
export { decodeNpz, encodeNpz } from "./npz.js";
export {
  decodeSafetensors,
  type EncodeSafetensorsOptions,
  encodeSafetensors,
  type SafetensorsContents,
  type SafetensorsDtype,
} from "./safetensors.js";
export { crc32, readZip, writeZip } from "./zip.js";
