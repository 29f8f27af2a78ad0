export { formatShape, formatValue } from "./format.js";
export { InputError, ShapeError } from "./input-error.js";
export { ScmError, type ScmErrorDetails } from "./scm-error.js";
export { WeightsError, type WeightsMismatch } from "./weights-error.js";
