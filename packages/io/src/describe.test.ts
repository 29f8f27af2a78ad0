// Bounded renderings of input values for error messages: short values as JSON, long or deep ones
// summarised, nothing recursed over without bound.
import { expect, it, describe as suite } from "vitest";
import { boundedJson, describe, quote } from "./describe.js";

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

suite("describe and quote", () => {
  it("shows short scalars and lists of scalars, and summarises the rest", () => {
    expect(describe("F32")).toBe('"F32"');
    expect(describe([2, 3])).toBe("[2, 3]");
    expect(describe(12n)).toBe("12");
    expect(describe(nested(100_000))).toBe("a list of 1 items");
    expect(describe(new Map([[1, 2]]))).toBe("a dict of 1 entries");
    expect(describe({ a: 1 })).toBe("an object");
  });

  it("cuts a long string to 80 characters and says how long it was", () => {
    expect(quote("x".repeat(1000))).toBe(`"${"x".repeat(80)}"… (1000 characters)`);
  });
});

suite("boundedJson", () => {
  it("is JSON.stringify for short values", () => {
    expect(boundedJson([1, 2, 3])).toBe("[1,2,3]");
    expect(boundedJson({ kind: "unet", channels: 1 })).toBe('{"kind":"unet","channels":1}');
    expect(boundedJson("a")).toBe('"a"');
  });

  it("summarises deep, wide or long values instead of serialising them", () => {
    expect(boundedJson(nested(1_000_000))).toBe("a list of 1 items");
    expect(boundedJson(new Array(5000).fill(0))).toBe("a list of 5000 items");
    expect(boundedJson("y".repeat(500))).toBe(`"${"y".repeat(120)}"… (500 characters)`);
  });
});
