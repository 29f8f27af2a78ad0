import { describe, expect, it } from "vitest";
import { defaultParams, formatParams, parseParams } from "./page-params.js";

describe("page params", () => {
  it("round-trips through the query string, leaving defaults out", () => {
    const params = {
      ...defaultParams,
      digit: 3,
      steps: 2 as const,
      seed: 7,
      batch: 64 as const,
      backend: "wasm" as const,
    };
    expect(formatParams(params)).toBe("?digit=3&steps=2&seed=7&batch=64&backend=wasm");
    expect(parseParams(formatParams(params))).toEqual(params);
    expect(formatParams(defaultParams)).toBe("");
    expect(parseParams("")).toEqual(defaultParams);
  });

  it("falls back to the default for a value out of range", () => {
    expect(parseParams("?digit=12&steps=5&seed=-1&batch=32&backend=tpu&guidance=0")).toEqual(defaultParams);
    expect(parseParams("?backend=native").backend).toBe("auto"); // a Node backend is not a page's
  });
});
