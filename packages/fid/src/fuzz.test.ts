// The PyTorch reader's share of the fuzz suite in `pnpm test`: 300 seeded mutations per target, each
// of which must decode or be refused with a TorchPickleError or FormatError. `pnpm fuzz` runs more.
import { describeCrash, fuzz } from "@scm/io/testing";
import { describe, expect, it } from "vitest";
import { fuzzTargets } from "./fuzz/targets.js";

const SEED = 17;
const CASES = 300;

describe.each(fuzzTargets.map((t) => [t.name, t] as const))("fuzz %s", (_name, target) => {
  it(`decodes or refuses with a typed error each of ${CASES} mutated inputs`, () => {
    const report = fuzz(target, { seed: SEED, cases: CASES });
    expect(report.crashes.map(describeCrash)).toEqual([]);
    expect(report.decoded + report.refused).toBe(CASES);
  }, 60_000);
});
