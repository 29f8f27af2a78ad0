// A user's folder of PNG/JPEG images as a Dataset: every image decoded, converted to gray or RGB,
// optionally centre-cropped and resized, and mapped to [−1, 1]; sub-folders name the classes.
import type { Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { decodeImage, type NdArray } from "@scm/io";
import type { Dataset } from "../dataset.js";
import { DataError } from "../errors.js";
import { pixelsToUnit, toChannels } from "../pixels.js";
import { fitImage, type ResizeMethod } from "../resize.js";

/** Options for `loadImageFolder`. */
export interface LoadImageFolderOptions {
  /** Resize (centre-crop to the aspect ratio, then resize) every image to this size: a side or [height, width]. Without it all images must have one size. */
  size?: number | [number, number];
  /** 1 (gray, ITU-R 601 luma), 3 (RGB), or "auto" (default): 1 when every image is gray (JPEG always decodes to RGB). */
  channels?: 1 | 3 | "auto";
  /** The resize filter (default "area"). */
  resize?: ResizeMethod;
  /** The dataset's name (default: the folder's name). */
  name?: string;
}

/** File extensions read as images. */
export const imageExtensions = [".png", ".jpg", ".jpeg"] as const;

const isImage = (f: string): boolean =>
  (imageExtensions as readonly string[]).includes(extname(f).toLowerCase());
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

async function listDir(dir: string): Promise<Dirent[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((e) => !e.name.startsWith("."))
      .sort((a, b) => byCodePoint(a.name, b.name));
  } catch (e) {
    throw new DataError(`Cannot read image folder ${dir}: ${(e as Error).message}.`, { path: dir, cause: e });
  }
}

/** The image files of one folder (sorted); any other file is a DataError naming it. */
function imageFiles(dir: string, entries: Dirent[]): string[] {
  const files: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      throw new DataError(
        `${path} is a folder inside class folder ${dir}; expected only image files there.`,
        { path },
      );
    }
    if (!isImage(e.name)) {
      throw new DataError(
        `${path} is not an image file; expected only ${imageExtensions.join(", ")} files in ${dir}.`,
        {
          path,
        },
      );
    }
    files.push(path);
  }
  return files;
}

/** Loads a folder of PNG/JPEG images as x [N, H, W, C] in [−1, 1]; sub-folders, when present, are the classes (sorted names). */
export async function loadImageFolder(dir: string, options: LoadImageFolderOptions = {}): Promise<Dataset> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error("it is not a folder");
  } catch (e) {
    throw new DataError(`Cannot read image folder ${dir}: ${(e as Error).message}.`, { path: dir, cause: e });
  }
  const entries = await listDir(dir);
  const subdirs = entries.filter((e) => e.isDirectory());
  const files: { path: string; label: number }[] = [];
  let classNames: string[] | undefined;
  if (subdirs.length > 0) {
    const loose = entries.find((e) => !e.isDirectory());
    if (loose !== undefined) {
      const path = join(dir, loose.name);
      throw new DataError(
        `${path} sits beside class folders in ${dir}; expected either only images or only class sub-folders.`,
        { path },
      );
    }
    classNames = subdirs.map((e) => e.name);
    for (const [label, sub] of subdirs.entries()) {
      const subdir = join(dir, sub.name);
      const list = imageFiles(subdir, await listDir(subdir));
      if (list.length === 0) {
        throw new DataError(
          `Class folder ${subdir} holds no images; expected at least one ${imageExtensions.join("/")} file.`,
          {
            path: subdir,
          },
        );
      }
      for (const path of list) files.push({ path, label });
    }
  } else {
    for (const path of imageFiles(dir, entries)) files.push({ path, label: 0 });
  }
  if (files.length === 0) {
    throw new DataError(
      `Image folder ${dir} holds no images; expected ${imageExtensions.join("/")} files or class sub-folders.`,
      {
        path: dir,
      },
    );
  }

  const images: NdArray<Uint8Array>[] = [];
  for (const { path } of files) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch (e) {
      throw new DataError(`Cannot read image ${path}: ${(e as Error).message}.`, { path, cause: e });
    }
    try {
      images.push(decodeImage(bytes));
    } catch (e) {
      throw new DataError(`${path} is not a readable image: ${(e as Error).message}`, { path, cause: e });
    }
  }

  const requested = options.channels ?? "auto";
  const channels: 1 | 3 =
    requested === "auto" ? (images.every((im) => (im.shape[2] as number) <= 2) ? 1 : 3) : requested;
  let height: number;
  let width: number;
  const size = options.size;
  if (size !== undefined) {
    [height, width] = typeof size === "number" ? [size, size] : size;
    if (![height, width].every((d) => Number.isSafeInteger(d) && d >= 1)) {
      throw new DataError(
        `The image size is ${JSON.stringify(size)}; expected a positive integer or [height, width].`,
        {
          path: dir,
        },
      );
    }
  } else {
    [height, width] = images[0]!.shape as [number, number];
    images.forEach((im, i) => {
      const [h, w] = im.shape as [number, number];
      if (h !== height || w !== width) {
        const path = files[i]!.path;
        throw new DataError(
          `${path} is ${h}x${w} (HxW); expected ${height}x${width} like ${files[0]!.path}, or pass a size to resize every image.`,
          { path },
        );
      }
    });
  }

  const px = height * width * channels;
  const x = new Float32Array(files.length * px);
  images.forEach((im, i) => {
    let img: NdArray = toChannels(im, channels);
    const [h, w] = img.shape as [number, number];
    if (h !== height || w !== width) img = fitImage(img, height, width, options.resize ?? "area");
    const data = img.data as Float32Array; // fresh and contiguous from toChannels / resizeImage
    for (let k = 0; k < px; k++) x[i * px + k] = pixelsToUnit(data[k] as number);
  });
  const ds: Dataset = {
    x,
    sampleShape: [height, width, channels],
    n: files.length,
    name: options.name ?? basename(dir),
  };
  if (classNames !== undefined) {
    ds.labels = Int32Array.from(files, (f) => f.label);
    ds.numClasses = classNames.length;
    ds.classNames = classNames;
  }
  return ds;
}
