// The one place sCM-TS imports TensorFlow.js. The umbrella package registers every kernel's gradient
// and the chained ops; importing tfjs-core alone would leave them missing. Node resolves the umbrella
// to its CommonJS build, the same instance the wasm and node backends attach to.
import * as tf from "@tensorflow/tfjs";

export { tf };
/** A tfjs tensor of any rank. */
export type Tensor = tf.Tensor;
/** A tfjs tensor shape. */
export type Shape = number[];
