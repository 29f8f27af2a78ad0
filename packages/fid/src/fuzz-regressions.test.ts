// The regression fixtures `pnpm fuzz` keeps (src/fixtures/fuzz/<target>-<kind>-<hash>.bin): each input
// once crashed or hung the PyTorch reader; now each must decode or be refused with the target's typed error.
import { readdirSync, readFileSync } from "node:fs";
import { classify, fixtureTarget } from "@scm/io/testing";
import { describe, expect, it } from "vitest";
import { fuzzTargets } from "./fuzz/targets.js";

const dir = new URL("./fixtures/fuzz/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".bin"));

describe("fuzz regression fixtures", () => {
  it("has fixtures, each named after one of the targets", () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => fixtureTarget(f, fuzzTargets) === undefined)).toEqual([]);
  });

  it.each(files)("%s decodes or is refused with a TorchPickleError or FormatError", (file) => {
    const target = fixtureTarget(file, fuzzTargets);
    expect(target).toBeDefined();
    const r = classify(target!, new Uint8Array(readFileSync(new URL(file, dir))));
    expect(r.message ?? r.outcome).not.toBe("crash");
    expect(["decoded", "refused"]).toContain(r.outcome);
  });
});
