// The fuzz suite's share of `pnpm test`: 300 seeded mutations of valid files per decoder, each of
// which must decode or be refused with a FormatError. `pnpm fuzz` runs tens of thousands.
import { describe, expect, it } from "vitest";
import { describeCrash, fuzz, ioFuzzTargets } from "./testing/index.js";

const SEED = 17;
const CASES = 300;

describe.each(ioFuzzTargets.map((t) => [t.name, t] as const))("fuzz %s", (_name, target) => {
  it(`decodes or refuses with a FormatError each of ${CASES} mutated inputs`, () => {
    const report = fuzz(target, { seed: SEED, cases: CASES });
    expect(report.crashes.map(describeCrash)).toEqual([]);
    expect(report.decoded + report.refused).toBe(CASES);
  }, 60_000);
});
