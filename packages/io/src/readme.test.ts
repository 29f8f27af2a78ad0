// Runs the README example (kept in sync by hand; the expected values are the ones its comments print).
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import { expect, it } from "vitest";
import {
  decodeImage,
  decodeNpz,
  decodeSafetensors,
  encodeNpz,
  encodePng,
  encodeSafetensors,
  imageGrid,
} from "./index.js";
import { readSafetensorsFile, writeSafetensorsFile } from "./node/index.js";

it("runs the README example", async () => {
  const mu = ndarray(new Float64Array([0.1, 0.2]), [2]);
  const sigma = ndarray(new Float64Array([1, 0, 0, 1]), [2, 2]);
  const stats = decodeNpz(encodeNpz({ mu, sigma }));
  expect(stats.sigma?.get(1, 1)).toBe(1);

  const w = ndarray(new Float32Array([0.5, -1, 2, 4]), [2, 2]);
  const bytes = encodeSafetensors(
    { "enc.conv.weight": w },
    { format: "pt" },
    { dtypes: { "enc.conv.weight": "F16" } },
  );
  const { tensors, metadata, dtypes } = decodeSafetensors(bytes);
  expect([tensors["enc.conv.weight"]?.get(1, 0), metadata.format, dtypes["enc.conv.weight"]]).toEqual([
    2,
    "pt",
    "F16",
  ]);

  const img = ndarray(new Uint8Array(8 * 8 * 3).fill(200), [8, 8, 3]);
  const png = encodePng(imageGrid([img, img, img, img], { columns: 2, padding: 2 }));
  expect(decodeImage(png).shape).toEqual([22, 22, 3]);

  const path = join(tmpdir(), `scm-io-readme-${process.pid}.safetensors`);
  try {
    await writeSafetensorsFile(path, { "enc.conv.weight": w });
    expect((await readSafetensorsFile(path)).tensors["enc.conv.weight"]?.shape).toEqual([2, 2]);
  } finally {
    rmSync(path, { force: true });
  }
});
