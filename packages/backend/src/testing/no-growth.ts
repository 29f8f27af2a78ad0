// Test helper: a kernel called many times must leave tfjs's tensor and byte counts where one call left
// them (a leaked output per call would show as growth).
import { expect } from "vitest";
import { tf } from "../tf.js";

/** Runs `step` once to warm up, then `calls` times, and expects no tensor or byte growth. */
export function expectNoTensorGrowth(step: () => void, calls: number): void {
  step();
  const tensors = tf.memory().numTensors;
  const bytes = tf.memory().numBytes;
  for (let i = 0; i < calls; i++) step();
  expect(tf.memory().numTensors).toBe(tensors);
  expect(tf.memory().numBytes).toBe(bytes);
}
