import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeNpy, encodePng, type NdArray } from "@scm/io";
import { readNpzFile } from "@scm/io/node";
import ndarray from "ndarray";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrayImageSource, extractFeatures } from "../extract.js";
import { featureStats } from "../feature-stats.js";
import { frechetDistance } from "../frechet-distance.js";
import { mnistExtractor } from "../mnist-net.js";
import { encodeStatsNpz } from "../stats-file.js";
import { HELP, main } from "./cli.js";
import { loadMnistDigits } from "./mnist-digits.js";
import { loadMnistWeights } from "./weights.js";

// Runs the CLI in-process and captures its output.
async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: {
      write: (t: string) => {
        stderr += t;
        return true;
      },
    },
  });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), "scm-fid-cli-"));
const path = (name: string) => join(dir, name);
let a: NdArray<Uint8Array>;
let expectedFid: number;

beforeAll(async () => {
  // A: 40 held-out digits (uint8, as a .npy and as a PNG folder); B: 40 float digits in [−1, 1], shifted
  const { test } = loadMnistDigits();
  const n = 40;
  const bytes = new Uint8Array(n * 784);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round((test.images[i]! + 1) * 127.5);
  a = ndarray(bytes, [n, 28, 28, 1]) as NdArray<Uint8Array>;
  const b = ndarray(
    Float32Array.from(test.images.subarray(n * 784, 2 * n * 784), (v) => Math.min(1, v + 0.3)),
    [n, 28, 28],
  );
  writeFileSync(path("a.npy"), encodeNpy(a as NdArray));
  writeFileSync(path("b.npy"), encodeNpy(b as NdArray));
  mkdirSync(path("a-png"));
  for (let i = 0; i < n; i++)
    writeFileSync(path(`a-png/${String(i).padStart(3, "0")}.png`), encodePng(a.pick(i) as NdArray));
  writeFileSync(path("features2d.npy"), encodeNpy(ndarray(new Float32Array(20), [10, 2]) as NdArray));
  writeFileSync(
    path("stats3.npz"),
    encodeStatsNpz({
      mu: ndarray(new Float64Array(3), [3]),
      sigma: ndarray(new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]), [3, 3]),
    }),
  );
  // the same computation through the library, for comparison
  const extractor = mnistExtractor(await loadMnistWeights());
  const fa = await extractFeatures(extractor, arrayImageSource(a as NdArray));
  const fb = await extractFeatures(extractor, arrayImageSource(b as NdArray));
  extractor.dispose();
  expectedFid = frechetDistance(featureStats(fa), featureStats(fb));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("scm-fid", () => {
  it("lists every flag in --help and exits 0", async () => {
    const { code, stdout } = await cli("--help");
    expect(code).toBe(0);
    for (const flag of [
      "--features",
      "--weights",
      "--save-stats",
      "--kid",
      "--kid-subsets",
      "--kid-subset-size",
      "--batch-size",
      "--backend",
      "--json",
      "--help",
    ]) {
      expect(stdout).toContain(flag);
    }
    expect(stdout).toBe(`${HELP}\n`);
  });

  it("prints the FID of two .npy sample sets as the library computes it", async () => {
    const { code, stdout } = await cli(path("a.npy"), path("b.npy"), "--features", "mnist", "--json");
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { fid: number };
    // the same features and the same float64 arithmetic: identical
    expect(result.fid).toBe(expectedFid);
    expect(result.fid).toBeGreaterThan(1); // B is brightened: the sets differ
  });

  it("reads a PNG folder like the .npy of the same uint8 images, and saves statistics that reproduce the FID", async () => {
    const stats = path("a-stats.npz");
    const { code, stdout, stderr } = await cli(
      path("a-png"),
      path("b.npy"),
      "--features",
      "mnist",
      "--json",
      "--save-stats",
      stats,
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout).fid).toBe(expectedFid); // PNG is lossless: the same pixels
    expect(stderr).toContain("40/40"); // the progress bar reached the end
    const saved = await readNpzFile(stats);
    expect(saved["mu"]!.shape).toEqual([128]);
    expect(saved["sigma"]!.shape).toEqual([128, 128]);
    const fromStats = await cli(stats, path("b.npy"), "--features", "mnist", "--json");
    // float64 statistics round-trip bit-exactly, so the FID is the same number
    expect(JSON.parse(fromStats.stdout).fid).toBe(expectedFid);
  });

  it("gives FID 0 for a set against itself and prints KID with --kid", async () => {
    const { code, stdout } = await cli(
      path("a.npy"),
      path("a.npy"),
      "--features",
      "mnist",
      "--kid",
      "--kid-subsets",
      "5",
      "--kid-subset-size",
      "20",
    );
    expect(code).toBe(0);
    const fid = Number(/FID: (\S+)/.exec(stdout)![1]);
    // identical statistics: only the √ of rounding-level eigenvalues remains (see frechet-distance tests)
    expect(Math.abs(fid)).toBeLessThan(1e-3);
    expect(stdout).toMatch(/KID: \S+ ± \S+/);
  });

  it("fails with exit 1 and one clear line for bad inputs", async () => {
    const missing = await cli(path("nope.npy"), path("b.npy"), "--features", "mnist");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `scm-fid: ${path("nope.npy")} does not exist; expected an image folder, a .npy of samples or a .npz of statistics.\n`,
    );
    const flat = await cli(path("features2d.npy"), path("b.npy"), "--features", "mnist");
    expect(flat.code).toBe(1);
    expect(flat.stderr).toContain("has shape [10, 2]; expected images [N, H, W, C] or [N, H, W].");
    const dims = await cli(path("stats3.npz"), path("b.npy"), "--features", "mnist");
    expect(dims.code).toBe(1);
    expect(dims.stderr).toContain("gives 3-dimensional features but");
    const kid = await cli(path("stats3.npz"), path("b.npy"), "--kid");
    expect(kid.code).toBe(1);
    expect(kid.stderr).toContain("KID needs images");
  });

  it("says where to get the Inception weights when they are missing", async () => {
    const { code, stderr } = await cli(path("a.npy"), path("b.npy"), "--weights", path("absent.pth"));
    expect(code).toBe(1);
    expect(stderr).toContain(`The FID Inception weights are not at ${path("absent.pth")}`);
    expect(stderr).toContain(
      "https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/pt_inception-2015-12-05-6726825d.pth",
    );
  });

  it("fails with exit 2 on bad usage and writes nothing", async () => {
    expect((await cli()).code).toBe(2);
    expect((await cli(path("a.npy"))).code).toBe(2);
    const bad = await cli(path("a.npy"), path("b.npy"), "--features", "clip");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--features is "clip"; expected inception or mnist.');
    expect((await cli(path("a.npy"), path("b.npy"), "--bogus")).code).toBe(2);
    const unwritten = path("never.npz");
    await cli(path("nope.npy"), "--save-stats", unwritten);
    expect(existsSync(unwritten)).toBe(false);
  });
});
