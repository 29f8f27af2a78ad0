// The regression fixtures `pnpm fuzz` keeps (src/fixtures/fuzz/<target>-<kind>-<hash>.bin): each input
// once crashed or hung a decoder; now each must decode or be refused with the target's typed error.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classify, ioFuzzTargets } from "./testing/index.js";

const dir = new URL("./fixtures/fuzz/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".bin"));
const targetOf = (file: string) => file.replace(/-(crash|hang|memory)-[0-9a-f]{8}\.bin$/, "");

describe("fuzz regression fixtures", () => {
  it("has fixtures, each named after one of the targets", () => {
    expect(files.length).toBeGreaterThan(0);
    const names = new Set(ioFuzzTargets.map((t) => t.name));
    expect(files.filter((f) => !names.has(f.replace(/-(crash|hang|memory)-[0-9a-f]{8}\.bin$/, "")))).toEqual(
      [],
    );
  });

  it.each(files)("%s decodes or is refused with a FormatError", (file) => {
    const target = ioFuzzTargets.find((t) => t.name === targetOf(file));
    expect(target).toBeDefined();
    const r = classify(target!, new Uint8Array(readFileSync(new URL(file, dir))));
    expect(r.message ?? r.outcome).not.toBe("crash");
    expect(["decoded", "refused"]).toContain(r.outcome);
  });
});
