// Element-wise kernels: broadcast binary ops, unary ops and AddN, threaded in the addon. tfjs's cpu
// versions walk broadcasts one index computation per element (one broadcast Multiply from mean's
// gradient took 155 ms of a 420 ms training step); these run at memory speed.
import { BinaryOp, type BinaryOpCode, UnaryOp, type UnaryOpCode } from "../kernels.js";
import {
  attrsOf,
  type CpuBackend,
  float32Values,
  maxNativeRank,
  type NativeKernel,
  output,
  outputArray,
  sizeOf,
} from "./kernel-utils.js";
import { tf } from "./tf.js";

function binary(op: BinaryOpCode): NativeKernel {
  return (args, addon) => {
    const backend = args.backend as CpuBackend;
    const { a, b } = args.inputs;
    const av = float32Values(backend, a);
    const bv = float32Values(backend, b);
    if (a === undefined || b === undefined || av === undefined || bv === undefined) return undefined;
    if (a.shape.length > maxNativeRank || b.shape.length > maxNativeRank) return undefined;
    const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const out = outputArray(args.backend, sizeOf(shape));
    if (out.length > 0) addon.binary(op, av, Int32Array.from(a.shape), bv, Int32Array.from(b.shape), out);
    return output(backend, shape, out);
  };
}

function unary(op: UnaryOpCode): NativeKernel {
  return (args, addon) => {
    const backend = args.backend as CpuBackend;
    const { x } = args.inputs;
    const xv = float32Values(backend, x);
    if (x === undefined || xv === undefined) return undefined;
    // Step's value for x ≤ 0 and LeakyRelu's slope; the other ops ignore it.
    const alpha = attrsOf<{ alpha?: number }>(args).alpha ?? 0;
    const out = outputArray(args.backend, xv.length);
    addon.unary(op, xv, out, alpha);
    return output(backend, x.shape, out);
  };
}

const addN: NativeKernel = (args, addon) => {
  const backend = args.backend as CpuBackend;
  // AddN's inputs arrive as an array (tfjs passes the tensor list as the inputs map).
  const tensors = args.inputs as unknown as tf.TensorInfo[];
  if (!Array.isArray(tensors) || tensors.length === 0 || tensors.length > 64) return undefined;
  const shape = tensors[0]!.shape;
  const values: Float32Array[] = [];
  for (const t of tensors) {
    const v = float32Values(backend, t);
    if (v === undefined || t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      return undefined;
    }
    values.push(v);
  }
  const out = outputArray(args.backend, sizeOf(shape));
  addon.addN(values, out);
  return output(backend, shape, out);
};

/** The native element-wise kernels by tfjs kernel name. */
export const elementwiseKernels: Readonly<Record<string, NativeKernel>> = {
  [tf.Add]: binary(BinaryOp.add),
  [tf.Sub]: binary(BinaryOp.sub),
  [tf.Multiply]: binary(BinaryOp.mul),
  [tf.RealDiv]: binary(BinaryOp.div),
  [tf.Maximum]: binary(BinaryOp.max),
  [tf.Minimum]: binary(BinaryOp.min),
  [tf.SquaredDifference]: binary(BinaryOp.squaredDifference),
  [tf.Relu]: unary(UnaryOp.relu),
  [tf.Relu6]: unary(UnaryOp.relu6),
  [tf.Step]: unary(UnaryOp.step),
  [tf.Sigmoid]: unary(UnaryOp.sigmoid),
  [tf.Exp]: unary(UnaryOp.exp),
  [tf.Neg]: unary(UnaryOp.neg),
  [tf.Sqrt]: unary(UnaryOp.sqrt),
  [tf.Rsqrt]: unary(UnaryOp.rsqrt),
  [tf.Square]: unary(UnaryOp.square),
  [tf.Log]: unary(UnaryOp.log),
  [tf.Abs]: unary(UnaryOp.abs),
  [tf.Elu]: unary(UnaryOp.elu),
  [tf.LeakyRelu]: unary(UnaryOp.leakyRelu),
  [tf.Reciprocal]: unary(UnaryOp.reciprocal),
  [tf.Tanh]: unary(UnaryOp.tanh),
  [tf.AddN]: addN,
};
