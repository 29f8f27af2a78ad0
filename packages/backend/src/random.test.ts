import { describe, expect, it } from "vitest";
import { randomNormal, randomNormalPerSample, randomUniform } from "./random.js";
import { Rng } from "./rng.js";
import { tf } from "./tf.js";

describe("randomNormal", () => {
  it("returns float32 draws equal to the stream's own draws", () => {
    const t = randomNormal(Rng.seeded(3), [4, 5], 2, 1);
    const expected = Rng.seeded(3).fillNormal(new Float32Array(20), 1, 2);
    expect(t.shape).toEqual([4, 5]);
    expect(t.dtype).toBe("float32");
    expect(Array.from(t.dataSync())).toEqual(Array.from(expected));
    t.dispose();
  });

  it("rejects an invalid shape", () => {
    expect(() => randomNormal(Rng.seeded(0), [2, -1])).toThrow(/shape \[2, -1\] is invalid/);
  });
});

describe("randomUniform", () => {
  it("stays inside [low, high)", () => {
    const t = randomUniform(Rng.seeded(9), [1000], -2, 3);
    const v = t.dataSync();
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...v)).toBeLessThan(3);
    t.dispose();
  });
});

describe("randomNormalPerSample", () => {
  it("gives sample i the same noise whatever the batch it is drawn in", () => {
    const rng = Rng.seeded(11);
    const whole = randomNormalPerSample(rng, 6, [2, 3]);
    const tail = randomNormalPerSample(rng, 2, [2, 3], 1, 4);
    const diff = tf.sub(whole.slice([4], [2]), tail);
    expect(tf.max(tf.abs(diff)).dataSync()[0]).toBe(0);
    tf.dispose([whole, tail, diff]);
  });
});
