// @scm/io/node: file helpers over the codecs (node:fs); every write is atomic.
export { IoError, writeFileAtomic } from "./atomic.js";
export {
  readImageFile,
  readNpyFile,
  readNpzFile,
  readSafetensorsFile,
  writeNpyFile,
  writeNpzFile,
  writePngFile,
  writeSafetensorsFile,
} from "./files.js";
export {
  createProgress,
  formatDuration,
  type Progress,
  type ProgressOptions,
  type ProgressStream,
} from "./progress.js";
