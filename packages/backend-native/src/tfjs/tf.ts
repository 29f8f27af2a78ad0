// The one place this package imports TensorFlow.js: a peer dependency at the version @scm/backend
// pins, so the kernels below register into the same tfjs instance @scm/backend gives every package
// (docs/architecture.md, "One tfjs instance"). The umbrella package, as @scm/backend imports it.
import * as tf from "@tensorflow/tfjs";

export { tf };
