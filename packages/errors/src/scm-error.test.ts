import { describe, expect, it, vi } from "vitest";
import { formatShape, formatValue } from "./format.js";
import { InputError, ShapeError } from "./input-error.js";
import { ScmError } from "./scm-error.js";
import { WeightsError } from "./weights-error.js";

// A package-level subclass, as @scm/trigflow writes its own.
class PackageShapeError extends ShapeError {
  static override readonly tag = "PackageShapeError";
}
// A subclass that declares no tag shares its parent's.
class UntaggedError extends InputError {}

describe("ScmError", () => {
  it("carries input, actual, expected and the thrown class's tag as its name", () => {
    const e = new ShapeError("tangents[1]", [2, 3], [3, 2]);
    expect(e.message).toBe("tangents[1] has shape [2, 3]; expected [3, 2].");
    expect([e.input, e.actual, e.expected, e.argument]).toEqual([
      "tangents[1]",
      [2, 3],
      [3, 2],
      "tangents[1]",
    ]);
    expect([e.tag, e.name]).toEqual(["ShapeError", "ShapeError"]);
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(ScmError);
  });

  it("recognises a subclass through each ancestor's tag, and nothing else", () => {
    const e = new PackageShapeError("z", [3], "[2]");
    expect([e.tag, e.name]).toEqual(["PackageShapeError", "PackageShapeError"]);
    expect([ScmError.isInstance(e), ShapeError.isInstance(e), PackageShapeError.isInstance(e)]).toEqual([
      true,
      true,
      true,
    ]);
    expect(InputError.isInstance(e)).toBe(false);
    expect(PackageShapeError.isInstance(new ShapeError("z", [3], "[2]"))).toBe(false);
    expect(UntaggedError.isInstance(new UntaggedError("n", "-1", "a count ≥ 0"))).toBe(true);
    expect(new UntaggedError("n", "-1", "a count ≥ 0").tag).toBe("InputError");
    for (const v of [new Error("plain"), null, undefined, "ShapeError", { tag: "ShapeError" }]) {
      expect(ScmError.isInstance(v)).toBe(false);
    }
  });

  it("recognises an error thrown by a second copy of the package, which instanceof does not", async () => {
    // After a reset the module graph loads again: new class objects, as a duplicate install has.
    vi.resetModules();
    const copy = await import("./index.js");
    expect(copy.ShapeError).not.toBe(ShapeError);
    const e = new copy.ShapeError("x", [1], "[2]");
    expect(e instanceof ShapeError).toBe(false);
    expect(ShapeError.isInstance(e)).toBe(true);
    expect(ScmError.isInstance(e)).toBe(true);
    expect(copy.InputError.isInstance(new ShapeError("x", [1], "[2]"))).toBe(false);
  });

  it("keeps the cause", () => {
    const cause = new Error("disk");
    expect(new ScmError("Cannot read f.", { input: "f", cause }).cause).toBe(cause);
  });
});

describe("InputError and WeightsError", () => {
  it("write the project's one-sentence messages", () => {
    expect(new InputError("steps", "0", "an integer ≥ 1").message).toBe(
      "steps is 0; expected an integer ≥ 1.",
    );
    const many = Array.from({ length: 10 }, (_, i) => ({ name: `w${i}`, kind: "missing" as const }));
    const e = WeightsError.mismatched([
      { name: "b", kind: "shape", actual: "[2]", expected: "[3]" },
      ...many,
    ]);
    expect(e.message).toBe(
      "The weights do not match the config in 11 place(s) (b has shape [2], expected [3]; w0 missing; " +
        "w1 missing; w2 missing; w3 missing; w4 missing; w5 missing; w6 missing, and 3 more); " +
        "expected exactly the config's parameter names, shapes and architecture.",
    );
    expect([e.source, e.mismatches.length, WeightsError.isInstance(e)]).toEqual(["weights", 11, true]);
  });
});

describe("formatValue and formatShape", () => {
  it("write numbers to 8 significant digits, arrays in brackets", () => {
    expect(formatValue(0.1 + 0.2)).toBe("0.3");
    expect(formatValue([1, Number.NaN, -Infinity])).toBe("[1, NaN, -Infinity]");
    expect(formatValue("absent")).toBe("absent");
    expect(formatShape([])).toBe("[]");
    expect(formatShape([4, 1])).toBe("[4, 1]");
  });
});
