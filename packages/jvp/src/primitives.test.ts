// Every primitive of the table has a JVP test case. Each op file's part of the table (its
// `…Primitives` export) must be handed to a `describeJvpCases` call, which asserts that every
// primitive in it runs its JVP rule in one of the cases (finite differences, dot-product identity, no
// leaks); a primitive outside every such part fails here, unless it is listed below with the test
// that checks its rule instead.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as activations from "./ops/activations.js";
import * as arithmetic from "./ops/arithmetic.js";
import * as attention from "./ops/attention.js";
import * as convBias from "./ops/conv-bias.js";
import * as image from "./ops/image.js";
import * as linalg from "./ops/linalg.js";
import * as logic from "./ops/logic.js";
import * as norms from "./ops/norms.js";
import * as reduction from "./ops/reduction.js";
import * as scaleShift from "./ops/scale-shift.js";
import * as shape from "./ops/shape.js";
import * as unary from "./ops/unary.js";
import { primitives } from "./primitives.js";
import * as trace from "./trace.js";

/** Primitives whose JVP is zero or absent by definition, so finite differences say nothing; where it is asserted. */
const comparison = "boolean output, no tangent: ops/logic.test.ts (comparisons)";
const coveredElsewhere: Record<string, string> = {
  greater: comparison,
  greaterEqual: comparison,
  less: comparison,
  lessEqual: comparison,
  equal: comparison,
  logicalAnd: comparison,
  sign: "piecewise constant, tangent 0: ops/logic.test.ts",
  stopGradient: "tangent 0 by definition: ops/logic.test.ts (under jvp and under tf.grad)",
  cast: "to int/bool no tangent, float to float the identity: ops/logic.test.ts",
};

// The parts of the table, by export name, from the op modules and the trace (a new op module goes
// here; until it does, the first test below fails).
const modules: Record<string, unknown>[] = [
  activations,
  arithmetic,
  attention,
  convBias,
  image,
  linalg,
  logic,
  norms,
  reduction,
  scaleShift,
  shape,
  unary,
  trace,
];
const tables = new Map<string, Record<string, unknown>>();
for (const exports of modules) {
  for (const [name, value] of Object.entries(exports)) {
    if (name.endsWith("Primitives")) tables.set(name, value as Record<string, unknown>);
  }
}

// The parts handed to a `describeJvpCases` call in some test file.
const src = new URL("./", import.meta.url);
const testFiles = readdirSync(src, { recursive: true, encoding: "utf8" }).filter((f) =>
  f.endsWith(".test.ts"),
);
const checked = new Set<string>();
for (const file of testFiles) {
  const text = readFileSync(new URL(file, src), "utf8");
  for (const call of text.matchAll(/describeJvpCases\(([\s\S]*?)\);/g)) {
    const table = /,\s*(\w+Primitives)\s*$/.exec(call[1]!)?.[1];
    if (table !== undefined) checked.add(table);
  }
}

describe("the primitive table", () => {
  it("is made of the op modules' parts, each entry the part's own object (the one the case check wraps)", () => {
    const parts = Object.fromEntries([...tables.values()].flatMap((t) => Object.entries(t)));
    expect(Object.keys(parts).sort()).toEqual(Object.keys(primitives).sort());
    for (const [name, primitive] of Object.entries(primitives)) expect(parts[name]).toBe(primitive);
  });

  it("has a JVP test case for every primitive", () => {
    const withCases = new Set([...checked].flatMap((t) => Object.keys(tables.get(t) ?? {})));
    const missing = Object.keys(primitives).filter((n) => !withCases.has(n) && !(n in coveredElsewhere));
    expect(missing).toEqual([]);
    expect([...checked].filter((t) => !tables.has(t))).toEqual([]); // every part named exists
  });

  it("lists as covered elsewhere only primitives of the table that have no case", () => {
    const withCases = new Set([...checked].flatMap((t) => Object.keys(tables.get(t) ?? {})));
    for (const name of Object.keys(coveredElsewhere)) {
      expect(name in primitives).toBe(true);
      expect(withCases.has(name)).toBe(false);
    }
  });
});
