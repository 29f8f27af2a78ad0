// @scm/fid/node: the Node-only side of @scm/fid: weights and inputs from disk and the `scm-fid` CLI's
// main function. The embedded MNIST digits come from @scm/data/node (`loadMnist({ split: "fid" })`).
export { type CliStreams, type FidConfig, fidOptions, HELP, main } from "./node/cli.js";
export { type Input, imageFolderSource, resolveInput } from "./node/sources.js";
export { TRAIN_MNIST_HELP, trainMnistMain, trainMnistOptions } from "./node/train-mnist-main.js";
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
