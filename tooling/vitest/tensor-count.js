// The per-test leak check of CONTRIBUTING ("tf.memory().numTensors is unchanged after"), registered
// once per test file. It takes the count as a function so this package needs no tfjs of its own.
import { afterEach, beforeEach, expect } from "vitest";

/** Fails every test of the calling file that changes `count()` (pass `() => tf.memory().numTensors`). */
export function keepTensorCount(count) {
  let before = 0;
  beforeEach(() => {
    before = count();
  });
  afterEach(() => {
    expect(count()).toBe(before);
  });
}
