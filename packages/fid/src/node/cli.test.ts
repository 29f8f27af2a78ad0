import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadMnist } from "@scm/data/node";
import { encodeNpy, encodePng, type NdArray } from "@scm/io";
import { readNpzFile } from "@scm/io/node";
import ndarray from "ndarray";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrayImageSource, extractFeatures } from "../extract.js";
import { featureStats } from "../feature-stats.js";
import { frechetDistance } from "../frechet-distance.js";
import { mnistExtractor } from "../mnist-net.js";
import { encodeStatsNpz } from "../stats-file.js";
import { captureCli } from "../testing/capture-cli.js";
import { HELP, main } from "./cli.js";
import { loadMnistWeights } from "./weights.js";

const cli = (...argv: string[]) => captureCli(main, argv);

const dir = mkdtempSync(join(tmpdir(), "scm-fid-cli-"));
const path = (name: string) => join(dir, name);
let a: NdArray<Uint8Array>;
let expectedFid: number;

beforeAll(async () => {
  // A: 40 held-out digits (uint8, as a .npy and as a PNG folder); B: 40 float digits in [−1, 1], shifted
  const test = await loadMnist({ part: "heldout", split: "fid" });
  const n = 40;
  const bytes = new Uint8Array(n * 784);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round((test.x[i]! + 1) * 127.5);
  a = ndarray(bytes, [n, 28, 28, 1]) as NdArray<Uint8Array>;
  const b = ndarray(
    Float32Array.from(test.x.subarray(n * 784, 2 * n * 784), (v) => Math.min(1, v + 0.3)),
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
      "--config",
      "--help",
    ]) {
      expect(stdout).toContain(flag);
    }
    expect(stdout).toBe(HELP);
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

  it("fails with exit 2 and one sentence naming the input for bad usage, as scm-train and scm-sample do", async () => {
    const cases: [string[], string][] = [
      [[], "No input given; expected two inputs A and B to compare, or A alone with --save-stats PATH."],
      [
        [path("a.npy")],
        `Got one input (${path("a.npy")}) and no --save-stats; expected two inputs to compare, or --save-stats PATH.`,
      ],
      [[path("a.npy"), path("b.npy"), "--bogus"], "Unknown flag --bogus; see --help for the valid ones."],
      [[path("a.npy"), "--save-stats"], "--save-stats has no value; expected --save-stats VALUE."],
      [[path("a.npy"), path("b.npy"), "--batch-size", "many"], '--batch-size is "many"; expected a number.'],
      [
        [path("a.npy"), path("b.npy"), "--kid-subsets", "0"],
        "kidSubsets (--kid-subsets) from the command line is 0; expected an integer ≥ 1.",
      ],
      [
        [path("a.npy"), path("b.npy"), "--features", "clip"],
        'features (--features) from the command line is "clip"; expected one of inception, mnist.',
      ],
      [
        [path("a.npy"), path("b.npy"), "--config", path("absent.json")],
        `Cannot read the config file ${path("absent.json")} (ENOENT).`,
      ],
    ];
    for (const [argv, message] of cases) {
      const { code, stdout, stderr } = await cli(...argv);
      expect({ argv, code, stdout, stderr }).toEqual({
        argv,
        code: 2,
        stdout: "",
        stderr: `scm-fid: ${message}\n`,
      });
    }
  });

  it("reads flags from a --config file, where the command line wins", async () => {
    writeFileSync(path("fid.json"), JSON.stringify({ features: "mnist", json: false, batchSize: 7 }));
    const { code, stdout } = await cli(path("a.npy"), path("b.npy"), "--config", path("fid.json"), "--json");
    expect(code).toBe(0);
    // features from the file (an Inception run would fail: no weights here), --json from the flags;
    // the batch size does not change per-image features, so the FID is the library's number
    expect(JSON.parse(stdout)).toEqual({ fid: expectedFid, features: "mnist" });
  });

  it("writes nothing when it fails: no statistics file, no result", async () => {
    const unwritten = path("never.npz");
    const missing = await cli(path("nope.npy"), "--save-stats", unwritten);
    expect(missing.code).toBe(1);
    expect(existsSync(unwritten)).toBe(false);
    // A is measured and its statistics could be saved, but B's features have another size: the
    // comparison fails before anything is written
    const mismatch = await cli(
      path("a.npy"),
      path("stats3.npz"),
      "--features",
      "mnist",
      "--save-stats",
      unwritten,
    );
    expect(mismatch.code).toBe(1);
    expect(mismatch.stdout).toBe("");
    expect(mismatch.stderr).toContain("gives 128-dimensional features but");
    expect(existsSync(unwritten)).toBe(false);
  });
});
