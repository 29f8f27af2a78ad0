// @scm/fid/node: the Node-only side of @scm/fid: weights and inputs from disk, the embedded MNIST
// digits and the `scm-fid` CLI's main function.
export { HELP, main } from "./node/cli.js";
export { loadMnistDigits } from "./node/mnist-digits.js";
export { type Input, imageFolderSource, resolveInput } from "./node/sources.js";
export {
  INCEPTION_WEIGHTS_ENV,
  INCEPTION_WEIGHTS_FILE,
  INCEPTION_WEIGHTS_URL,
  inceptionWeightsPath,
  loadInceptionWeights,
  loadMnistWeights,
  MNIST_WEIGHTS_PATH,
  readStateDictFile,
} from "./node/weights.js";
