// @scm/data/node: loading datasets from files (node:fs): the embedded MNIST, image folders, .npy/CSV.
export { type LoadArrayFileOptions, loadArrayFile } from "./array-file.js";
export { imageExtensions, type LoadImageFolderOptions, loadImageFolder } from "./image-folder.js";
export { type LoadDatasetOptions, loadDataset } from "./load-dataset.js";
export { type LoadMnistOptions, loadMnist } from "./mnist.js";
