import { readFileSync } from "node:fs";
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { FormatError } from "./errors.js";
import { encodeNpy } from "./npy.js";
import { decodeNpz, encodeNpz } from "./npz.js";
import { readZip, writeZip } from "./zip.js";

// numpy.savez / savez_compressed of mu=[0.25, -1, 3.5], sigma=2·I₃, n=int32(7) (fixtures/make_fixtures.py)
const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

describe("decodeNpz", () => {
  it("reads numpy.savez and numpy.savez_compressed archives", () => {
    for (const name of ["savez.npz", "savez_compressed.npz"]) {
      const r = decodeNpz(fixture(name));
      expect(Object.keys(r).sort(), name).toEqual(["mu", "n", "sigma"]);
      expect(Array.from(r.mu?.data as Float64Array)).toEqual([0.25, -1, 3.5]);
      expect(r.sigma?.shape).toEqual([3, 3]);
      expect(Array.from(r.sigma?.data as Float64Array)).toEqual([2, 0, 0, 0, 2, 0, 0, 0, 2]);
      expect(r.n?.shape).toEqual([]);
      expect(r.n?.get()).toBe(7);
    }
  });

  it("rejects entries that are not .npy and names a broken entry", () => {
    expect(() => decodeNpz(writeZip({ "readme.txt": new Uint8Array([1]) }))).toThrow(
      /"readme.txt" is not a .npy file/,
    );
    expect(() => decodeNpz(writeZip({ "x.npy": new Uint8Array([1, 2, 3]) }))).toThrow(
      /entry "x.npy": Input of 3 bytes/,
    );
    expect(() => decodeNpz(new Uint8Array(30))).toThrow(FormatError);
  });
});

describe("encodeNpz", () => {
  it("stores each array as numpy.save bytes under <key>.npy, like numpy.savez", () => {
    const mu = ndarray(new Float64Array([0.25, -1, 3.5]), [3]);
    const n = ndarray(new Int32Array([7]), []);
    const entries = readZip(encodeNpz({ mu, n }));
    expect([...entries.keys()]).toEqual(["mu.npy", "n.npy"]);
    expect(entries.get("mu.npy")).toEqual(encodeNpy(mu));
    // the entries numpy wrote hold the same .npy bytes, so a numpy reader sees identical arrays
    expect(entries.get("mu.npy")).toEqual(readZip(fixture("savez.npz")).get("mu.npy"));
    expect(entries.get("n.npy")).toEqual(readZip(fixture("savez.npz")).get("n.npy"));
  });

  it("round-trips float64 FID statistics bit-exactly", () => {
    const sigma = ndarray(
      new Float64Array(2048 * 4).map((_, i) => Math.cos(i) / 3),
      [64, 128],
    ); // 64 KiB
    const back = decodeNpz(encodeNpz({ mu: ndarray(new Float64Array([1 / 3]), [1]), sigma }));
    expect(back.sigma?.data).toEqual(sigma.data);
    expect(back.mu?.get(0)).toBe(1 / 3);
  });
});
