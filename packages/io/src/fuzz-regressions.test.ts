// The regression fixtures `pnpm fuzz` keeps (src/fixtures/fuzz/<target>-<kind>-<hash>.bin): each input
// once crashed or hung a decoder; now each must decode or be refused with the target's typed error.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classify, fixtureTarget, ioFuzzTargets } from "./testing/index.js";

const dir = new URL("./fixtures/fuzz/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".bin"));

describe("fuzz regression fixtures", () => {
  it("has fixtures, each named after one of the targets", () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => fixtureTarget(f, ioFuzzTargets) === undefined)).toEqual([]);
  });

  it.each(files)("%s decodes or is refused with a FormatError", (file) => {
    const target = fixtureTarget(file, ioFuzzTargets);
    expect(target).toBeDefined();
    const r = classify(target!, new Uint8Array(readFileSync(new URL(file, dir))));
    expect(r.message ?? r.outcome).not.toBe("crash");
    expect(["decoded", "refused"]).toContain(r.outcome);
  });
});
