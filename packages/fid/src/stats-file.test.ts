import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readZip, writeZip } from "@scm/io";
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { FidInputError } from "./errors.js";
import { decodeStatsNpz, encodeStatsNpz } from "./stats-file.js";

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

// The values numpy wrote into the fixtures (src/fixtures, made with np.savez / np.save, numpy 2.4).
const mu = new Float64Array([0.1, -2.5, 1 / 3]);
const sigma = new Float64Array([2.0, 0.1, -0.3, 0.1, 1 / 7, 0.0, -0.3, 0.0, 5e-310]);

describe("encodeStatsNpz", () => {
  it("round-trips bit-exactly, subnormals included", () => {
    const bytes = encodeStatsNpz({ mu: ndarray(mu, [3]), sigma: ndarray(sigma, [3, 3]) });
    const back = decodeStatsNpz(bytes);
    expect(back.mu.data).toEqual(mu); // toEqual on Float64Array compares every element exactly
    expect(back.sigma.data).toEqual(sigma);
    expect(back.sigma.shape).toEqual([3, 3]);
  });

  it("writes mu.npy and sigma.npy byte-identical to numpy.save", () => {
    const entries = readZip(encodeStatsNpz({ mu: ndarray(mu, [3]), sigma: ndarray(sigma, [3, 3]) }));
    expect(Array.from(entries.keys()).sort()).toEqual(["mu.npy", "sigma.npy"]);
    expect(entries.get("mu.npy")).toEqual(fixture("numpy_mu.npy"));
    expect(entries.get("sigma.npy")).toEqual(fixture("numpy_sigma.npy"));
  });

  it("widens float32 statistics to float64", () => {
    const bytes = encodeStatsNpz({
      mu: ndarray(new Float32Array([0.5]), [1]),
      sigma: ndarray(new Float32Array([2]), [1, 1]),
    });
    expect(readZip(bytes).get("mu.npy")!.slice(0, 30)).toEqual(fixture("numpy_mu.npy").slice(0, 30)); // '<f8' header
    expect(decodeStatsNpz(bytes).sigma.data).toEqual(new Float64Array([2]));
  });
});

describe("decodeStatsNpz", () => {
  it("reads numpy's np.savez output exactly", () => {
    const stats = decodeStatsNpz(fixture("numpy_stats.npz"));
    expect(stats.mu.data).toEqual(mu);
    expect(stats.sigma.data).toEqual(sigma);
  });

  it("reads np.savez_compressed float32 statistics as float64", () => {
    const stats = decodeStatsNpz(fixture("numpy_stats_f32_compressed.npz"));
    // float32 rounding of 1/3 is exact after widening: Math.fround
    expect(stats.mu.data).toEqual(Float64Array.from(mu, Math.fround));
  });

  it("names the file and the missing arrays", () => {
    const onlyMu = writeZip(new Map([["mu.npy", fixture("numpy_mu.npy")]]));
    expect(() => decodeStatsNpz(onlyMu, "a.npz")).toThrow(
      'a.npz holds [mu]; expected the arrays "mu" and "sigma".',
    );
  });

  it("rejects a sigma whose shape does not match mu", () => {
    const swapped = writeZip(
      new Map([
        ["mu.npy", fixture("numpy_mu.npy")],
        ["sigma.npy", fixture("numpy_mu.npy")],
      ]),
    );
    expect(() => decodeStatsNpz(swapped, "b.npz")).toThrow(
      "b.npz has mu [3] and sigma [3]; expected [D] and [D, D].",
    );
    expect(() =>
      encodeStatsNpz({ mu: ndarray(mu, [3]), sigma: ndarray(sigma.subarray(0, 6), [3, 2]) }),
    ).toThrow(FidInputError);
  });
});

describe("encodeStatsNpz with numpy itself", () => {
  // Runs only where python3 has numpy (it does on the development machine; CI without numpy skips).
  const hasNumpy = spawnSync("python3", ["-c", "import numpy"]).status === 0;
  it.skipIf(!hasNumpy)("writes a file numpy.load reads to the same float64 values", () => {
    const dir = mkdtempSync(join(tmpdir(), "scm-fid-npz-"));
    const file = join(dir, "stats.npz");
    writeFileSync(file, encodeStatsNpz({ mu: ndarray(mu, [3]), sigma: ndarray(sigma, [3, 3]) }));
    const script = `import numpy as np; f = np.load(${JSON.stringify(file)}); print(f["mu"].dtype, f["sigma"].shape, repr(f["mu"].tolist()), repr(f["sigma"].ravel().tolist()))`;
    const out = spawnSync("python3", ["-c", script], { encoding: "utf8" });
    rmSync(dir, { recursive: true, force: true });
    expect(out.status).toBe(0);
    // Python's repr of a float64 is its shortest round-trip form, as is JavaScript's String(number)
    const list = (xs: Float64Array) =>
      `[${Array.from(xs, (x) => (Number.isInteger(x) ? x.toFixed(1) : String(x))).join(", ")}]`;
    expect(out.stdout.trim()).toBe(`float64 (3, 3) ${list(mu)} ${list(sigma)}`);
  });
});
