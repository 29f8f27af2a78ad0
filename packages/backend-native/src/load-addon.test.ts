import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BinaryOp, nativeAddonFunctions, ReduceOp, UnaryOp } from "./addon.js";
import { loadNativeAddon, NativeAddonUnavailableError } from "./load-addon.js";
import { built, same3x3, suite } from "./testing/fixtures.js";

// The install script's own test for a toolchain: a C compiler answers and cblas.h exists.
function hasToolchain(): boolean {
  try {
    execFileSync(process.env["CC"] ?? "cc", ["--version"], { stdio: "ignore" });
  } catch {
    return false;
  }
  if (process.platform === "darwin") return true; // Accelerate ships with the OS
  let multiarch = "";
  try {
    multiarch = execFileSync(process.env["CC"] ?? "cc", ["-print-multiarch"], { encoding: "utf8" }).trim();
  } catch {}
  const dirs = ["/usr/include", "/usr/local/include", "/usr/include/openblas", `/usr/include/${multiarch}`];
  return dirs.some((d) => existsSync(`${d}/cblas.h`));
}

describe("loadNativeAddon", () => {
  it("is built wherever a C compiler and the OpenBLAS headers are present", () => {
    // CI installs both, so this is what keeps the suites below from skipping silently there.
    if (hasToolchain()) expect(built).toBe(true);
    if (!built) expect(() => loadNativeAddon()).toThrow(NativeAddonUnavailableError);
  });
});

describe.skipIf(!built)(suite("NativeAddon"), () => {
  const addon = built ? loadNativeAddon() : undefined!;

  it("exports exactly the functions the loader checks for", () => {
    expect(Object.keys(addon).sort()).toEqual([...nativeAddonFunctions].sort());
  });

  it("reports its pool and BLAS and honours setThreads", () => {
    const info = addon.info();
    expect(info.cpus).toBeGreaterThanOrEqual(1);
    expect(info.blas.length).toBeGreaterThan(0);
    const before = info.threads;
    addon.setThreads(1);
    expect(addon.info().threads).toBe(1);
    addon.setThreads(before);
    expect(addon.info().threads).toBe(before);
  });

  it("throws a TypeError or RangeError for malformed arguments instead of touching memory", () => {
    const f = (n: number) => new Float32Array(n);
    expect(() => addon.sgemm(false, false, 4, 4, 4, 1, f(15), f(16), 0, f(16))).toThrow(
      new RangeError("a is too short for the given dimensions."),
    );
    expect(() => addon.sgemm(false, false, 2, 2, 2, 1, new Float64Array(4) as never, f(4), 0, f(4))).toThrow(
      new TypeError("a must be a Float32Array."),
    );
    expect(() => addon.sgemm(false, false, -1, 2, 2, 1, f(4), f(4), 0, f(4))).toThrow(
      new RangeError("m must be a non-negative integer."),
    );
    expect(() => addon.matmul(f(8), f(8), f(7), 2, 2, 2, 2, 2, false, false)).toThrow(/out is too short/);
    expect(() => addon.matmul(f(8), f(8), f(8), 0, 2, 2, 2, 2, false, false)).toThrow(/at least 1/);
    const g = same3x3(1, 4, 2, 3);
    expect(() => addon.conv2d(f(32), f(54), f(47), g)).toThrow(/y is too short/);
    expect(() => addon.conv2dBackpropInput(f(48), f(53), f(32), g)).toThrow(/filter is too short/);
    expect(() => addon.conv2dBackpropFilter(f(31), f(48), f(54), g)).toThrow(/x is too short/);
    expect(() => addon.conv2d(f(32), f(54), f(48), g.subarray(1))).toThrow(/15 entries/);
    const zeroStride = g.slice();
    zeroStride[9] = 0;
    expect(() => addon.conv2d(f(32), f(54), f(48), zeroStride)).toThrow(/stride or dilation below 1/);
    const two = Int32Array.of(2);
    expect(() => addon.binary(BinaryOp.add, f(2), two, f(3), Int32Array.of(3), f(3))).toThrow(
      /cannot be broadcast together/,
    );
    expect(() => addon.binary(99 as 0, f(2), two, f(2), two, f(2))).toThrow(/not a known binary op/);
    expect(() => addon.unary(UnaryOp.exp, f(4), f(3), 0)).toThrow(/out is too short/);
    expect(() => addon.reduce(ReduceOp.sum, f(5), f(2), 2, 3, 1, 1)).toThrow(/x is too short/);
    expect(() => addon.softmax(f(6), f(6), 2, 4)).toThrow(/too short/);
    expect(() => addon.addN([f(3), f(2)], f(3))).toThrow(/An input is too short/);
    expect(() => addon.biasActivation(f(6), 2, 3, f(2), 0, 0, null)).toThrow(/bias is too short/);
    expect(() => addon.setThreads(0)).toThrow(/between 1 and 64/);
  });

  it("holds no memory across 10,000 calls of every kernel", () => {
    // Output arrays are reused so JavaScript allocates nothing; any growth is the addon's. Each conv
    // call allocates its ~20 KB patch buffer (each resize a small index table), so a leak would add
    // ~200 MB; 16 MB is allocator noise.
    const f = (n: number, v = 0.5) => new Float32Array(n).fill(v);
    const g = same3x3(2, 9, 8, 4);
    const x = f(2 * 81 * 8);
    const w = f(72 * 4);
    const y = f(2 * 81 * 4);
    const shape = Int32Array.of(2 * 81, 4);
    const bias = Int32Array.of(4);
    const blockShape = Int32Array.of(2, 81, 4);
    const blockSize = Int32Array.of(2, 40, 3);
    const zeros = Int32Array.of(0, 0, 0);
    const up = f(2 * 18 * 18 * 8);
    const tileReps = Int32Array.of(2, 1, 3);
    const pool = g.slice();
    pool[6] = 8; // a 3×3 'same' average pool: output channels = input channels
    const transposePerm = Int32Array.of(2, 0, 1);
    const round = () => {
      addon.conv2d(x, w, y, g);
      addon.conv2dBackpropInput(y, w, x, g);
      addon.conv2dBackpropFilter(x, y, w, g);
      addon.matmul(x, w, y, 1, 1, 162, 4, 8, false, false);
      addon.binary(BinaryOp.mul, y, shape, w, bias, y);
      addon.unary(UnaryOp.sigmoid, y, y, 0);
      addon.reduce(ReduceOp.sum, x, w, 1, 162, 8, 1);
      addon.softmax(y, y, 162, 4);
      addon.addN([x, x], x);
      addon.biasActivation(y, 162, 4, y, 1, 0, null);
      addon.copyBlock(x, blockShape, zeros, y, blockShape, zeros, blockSize);
      addon.resizeNearest(x, up, 2, 9, 9, 8, 18, 18, false, false);
      addon.resizeNearestGrad(up, x, 2, 9, 9, 8, 18, 18, false);
      addon.avgPool(x, up, pool);
      addon.avgPoolGrad(up, x, pool);
      addon.tile(y, blockShape, tileReps, up);
      addon.transpose(x, blockShape, transposePerm, up);
    };
    for (let i = 0; i < 1000; i++) round();
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 10_000; i++) round();
    const grown = process.memoryUsage().rss - before;
    expect(grown).toBeLessThan(16 * 2 ** 20);
  });
});
