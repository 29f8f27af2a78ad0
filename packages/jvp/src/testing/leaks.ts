// The no-leak check every tensor-producing test runs: repeated calls leave tf.memory().numTensors
// unchanged once the returned tensors are disposed.
import { tf } from "@scm/backend";

/**
 * Tensors left behind per batch of `repeats` calls of `fn` (after one warm-up call), its returned
 * tensors disposed; 0 when `fn` does not leak.
 */
export function leakedTensors(fn: () => unknown, repeats = 3): number {
  tf.dispose(fn() as tf.TensorContainer);
  const before = tf.memory().numTensors;
  for (let i = 0; i < repeats; i++) tf.dispose(fn() as tf.TensorContainer);
  return tf.memory().numTensors - before;
}
