// The README's example, verbatim between the markers (keep them in sync), with its result checked.
import { describe, expect, it } from "vitest";
import { loadNativeAddon } from "./index.js";
import { built, suite } from "./testing/fixtures.js";

describe.skipIf(!built)(suite("README example"), () => {
  it("multiplies the two matrices", () => {
    // --- README begin
    const addon = loadNativeAddon(); // throws NativeAddonUnavailableError, saying how to build it
    const a = Float32Array.of(1, 2, 3, 4, 5, 6); // [2, 3]
    const b = Float32Array.of(1, 0, 0, 1, 1, 1); // [3, 2]
    const c = new Float32Array(4); // [2, 2]
    addon.sgemm(false, false, 2, 2, 3, 1, a, b, 0, c); // c = a·b
    // --- README end
    // [1 2 3; 4 5 6]·[1 0; 0 1; 1 1] = [1+3 2+3; 4+6 5+6]: small integers, exact in float32.
    expect(Array.from(c)).toEqual([4, 5, 10, 11]);
  });
});
