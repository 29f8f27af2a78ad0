import { Rng, randomNormal, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { jvp } from "../jvp.js";
import { describeJvpCases, type JvpCase } from "../jvp-cases.test-util.js";
import { relativeError } from "../testing/index.js";
import { mul } from "./arithmetic.js";
import {
  concat,
  expandDims,
  gather,
  pad,
  reshape,
  shapePrimitives,
  slice,
  split,
  squeeze,
  tile,
  transpose,
} from "./shape.js";

const rng = Rng.seeded(15);
const x = randomNormal(rng, [2, 3, 4]);
const y = randomNormal(rng, [2, 1, 4]);
const indices = tf.tensor1d([2, 0, 2], "int32");

// Tolerances and their reasons: `jvpTolerances`.
const cases: JvpCase[] = [
  ["reshape", (a) => reshape(a, [6, -1]), [x]],
  ["transpose", (a) => transpose(a, [2, 0, 1]), [x]],
  ["transpose, reversed", (a) => transpose(a), [x]],
  ["slice", (a) => slice(a, [0, 1, 1], [2, 2, -1]), [x]],
  ["concat", (a, b) => concat([a, b], 1), [x, y]],
  [
    "pad with a constant",
    (a) =>
      pad(
        a,
        [
          [0, 0],
          [1, 2],
          [0, 1],
        ],
        3,
      ),
    [x],
  ],
  ["tile", (a) => tile(a, [1, 2, 1]), [y]],
  ["gather", (a) => gather(a, indices, 1), [x]],
  ["gather with number indices", (a) => gather(a, [3, 1], 2), [x]],
  ["expandDims", (a) => expandDims(a, 1), [x]],
  ["squeeze", (a) => squeeze(a, [1]), [y]],
  ["split in equal parts", (a) => split(a, 2, 2), [x]],
  ["split by sizes", (a) => split(a, [1, -1], 1), [x]],
];

describeJvpCases(cases, rng, shapePrimitives);

describe("concat", () => {
  it("fills zeros for an input without a tangent", () => {
    const t = randomNormal(rng, x.shape);
    const [out, dt] = jvp((a) => concat([a, mul(y, 2)], 1), [x], [t]);
    const expected = tf.concat([t, tf.zerosLike(y)], 1);
    // A copy of the tangent and zeros: exact.
    expect(relativeError(dt, expected)).toBe(0);
    tf.dispose([t, out, dt, expected]);
  });
});

describe("pad", () => {
  it("pads the tangent with zeros whatever the primal's constant", () => {
    const v = tf.tensor1d([1, 2]);
    const t = tf.tensor1d([3, 4]);
    const [out, dt] = jvp((a) => pad(a, [[1, 1]], 9), [v], [t]);
    expect(Array.from(out.dataSync())).toEqual([9, 1, 2, 9]);
    // d/dv of the constant border is 0.
    expect(Array.from(dt.dataSync())).toEqual([0, 3, 4, 0]);
    tf.dispose([v, t, out, dt]);
  });
});

describe("split", () => {
  it("rejects a count that does not divide the axis", () => {
    expect(() => split(x, 3, 2)).toThrow(
      /split's numOrSizeSplits is 3; expected a divisor of axis 2's size 4/,
    );
  });
});
