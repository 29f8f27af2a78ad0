/** Fails every test of the calling file that changes `count()` (pass `() => tf.memory().numTensors`). */
export function keepTensorCount(count: () => number): void;
