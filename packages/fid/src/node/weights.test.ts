import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { encodeSafetensors, type NdArray } from "@scm/io";
import ndarray from "ndarray";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { WeightsError } from "../errors.js";
import {
  INCEPTION_WEIGHTS_ENV,
  INCEPTION_WEIGHTS_FILE,
  inceptionWeightsPath,
  loadInceptionWeights,
  readStateDictFile,
} from "./weights.js";

const dir = mkdtempSync(join(tmpdir(), "scm-fid-weights-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const saved = { env: process.env[INCEPTION_WEIGHTS_ENV], xdg: process.env["XDG_CACHE_HOME"] };
afterEach(() => {
  for (const [k, v] of [
    [INCEPTION_WEIGHTS_ENV, saved.env],
    ["XDG_CACHE_HOME", saved.xdg],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe("inceptionWeightsPath", () => {
  it("prefers the explicit path, then SCM_FID_WEIGHTS, then the cache folder", () => {
    delete process.env["XDG_CACHE_HOME"];
    process.env[INCEPTION_WEIGHTS_ENV] = "/env/w.pth";
    expect(inceptionWeightsPath("/flag/w.pth")).toBe("/flag/w.pth");
    expect(inceptionWeightsPath()).toBe("/env/w.pth");
    delete process.env[INCEPTION_WEIGHTS_ENV];
    expect(inceptionWeightsPath()).toBe(join(homedir(), ".cache", "scm-fid", INCEPTION_WEIGHTS_FILE));
    process.env["XDG_CACHE_HOME"] = "/xdg";
    expect(inceptionWeightsPath()).toBe(join("/xdg", "scm-fid", INCEPTION_WEIGHTS_FILE));
  });
});

describe("readStateDictFile", () => {
  it("reads .pth (legacy and zip) and .safetensors with the same names and values", async () => {
    const legacy = join(dir, "legacy.pth");
    const zip = join(dir, "zip.pth");
    copyFileSync(new URL("../fixtures/state_dict_legacy.pth", import.meta.url), legacy);
    copyFileSync(new URL("../fixtures/state_dict_zip.pth", import.meta.url), zip);
    const fromLegacy = await readStateDictFile(legacy);
    const fromZip = await readStateDictFile(zip);
    const st = join(dir, "w.safetensors");
    writeFileSync(st, encodeSafetensors({ "conv.weight": fromLegacy.get("conv.weight")! }));
    const fromSafetensors = await readStateDictFile(st);
    // every value is exact in float32: identical arrays
    for (const d of [fromZip, fromSafetensors]) {
      expect(Array.from(d.get("conv.weight")!.data as Float32Array)).toEqual(
        Array.from(fromLegacy.get("conv.weight")!.data as Float32Array),
      );
    }
  });
});

describe("loadInceptionWeights", () => {
  it("says where to download the weights and where to put them when the file is missing", async () => {
    process.env[INCEPTION_WEIGHTS_ENV] = join(dir, "missing.pth");
    await expect(loadInceptionWeights()).rejects.toThrow(WeightsError);
    await expect(loadInceptionWeights()).rejects.toThrow(
      `The FID Inception weights are not at ${join(dir, "missing.pth")}; download https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/pt_inception-2015-12-05-6726825d.pth`,
    );
  });

  it("checks a safetensors file against the FID Inception layout, naming the file", async () => {
    const path = join(dir, "partial.safetensors");
    const w = ndarray(new Float32Array(32 * 27), [32, 3, 3, 3]) as NdArray;
    writeFileSync(path, encodeSafetensors({ "Conv2d_1a_3x3.conv.weight": w }));
    await expect(loadInceptionWeights(path)).rejects.toThrow(
      `${path} lacks 469 of the 470 FID Inception entries`,
    );
  });

  it("names a damaged safetensors file in a WeightsError", async () => {
    const path = join(dir, "damaged.safetensors");
    writeFileSync(path, Uint8Array.from([3, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7b, 0x7b]));
    await expect(loadInceptionWeights(path)).rejects.toThrow(WeightsError);
    await expect(loadInceptionWeights(path)).rejects.toThrow(`${path}: Safetensors header is not UTF-8 JSON`);
  });
});
