// Sum, Mean, Max, Min and Softmax. The cpu kernels transpose the reduced axes innermost first; here
// the input is viewed as runs of kept and reduced axes and each reduced run is folded in place as an
// [outer, reduced, inner] reduction, so no transpose is materialised.
import { type NativeAddon, ReduceOp, type ReduceOpCode } from "../kernels.js";
import {
  attrsOf,
  type CpuBackend,
  float32Values,
  type NativeKernel,
  output,
  outputArray,
  sizeOf,
} from "./kernel-utils.js";
import { tf } from "./tf.js";

interface Run {
  size: number;
  reduced: boolean;
}

// Adjacent axes of the same kind merge; size-1 axes drop out (they change nothing).
function runs(shape: readonly number[], axes: readonly number[]): Run[] {
  const out: Run[] = [];
  shape.forEach((size, i) => {
    if (size === 1) return;
    const reduced = axes.includes(i);
    const last = out[out.length - 1];
    if (last !== undefined && last.reduced === reduced) last.size *= size;
    else out.push({ size, reduced });
  });
  return out;
}

/** Reduces `axes` of x (shape `shape`), one addon pass per run of reduced axes; sums end times `scale`. */
function reduceAxes(
  addon: NativeAddon,
  op: ReduceOpCode,
  values: Float32Array,
  shape: readonly number[],
  axes: readonly number[],
  scale: number,
): Float32Array {
  let layout = runs(shape, axes);
  let current = values;
  let last = layout.findLastIndex((r) => r.reduced);
  if (last < 0) return op === ReduceOp.sum ? current.map((v) => v * scale) : current.slice();
  while (last >= 0) {
    const outer = sizeOf(layout.slice(0, last).map((r) => r.size));
    const inner = sizeOf(layout.slice(last + 1).map((r) => r.size));
    const reduced = layout[last]!.size;
    const next = new Float32Array(outer * inner);
    const final = !layout.slice(0, last).some((r) => r.reduced);
    addon.reduce(op, current, next, outer, reduced, inner, final ? scale : 1);
    current = next;
    layout = [...layout.slice(0, last), ...layout.slice(last + 1)];
    // The kept runs on either side of the removed one are now adjacent.
    layout = runs(
      layout.map((r) => r.size),
      layout.flatMap((r, i) => (r.reduced ? [i] : [])),
    );
    last = layout.findLastIndex((r) => r.reduced);
  }
  return current;
}

function reduction(op: ReduceOpCode, mean: boolean, axisAttr: "axis" | "reductionIndices"): NativeKernel {
  return (args, addon) => {
    const backend = args.backend as CpuBackend;
    const { x } = args.inputs;
    const xv = float32Values(backend, x);
    if (x === undefined || xv === undefined) return undefined;
    // Max and Min of nothing are left to the cpu kernel, whatever it makes of them.
    if (op !== ReduceOp.sum && xv.length === 0) return undefined;
    const attrs = attrsOf<Record<string, unknown>>(args);
    const axes = tf.util.parseAxisParam(attrs[axisAttr] as number | number[], x.shape);
    const [outShape, reduceShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
    const count = sizeOf(reduceShape);
    // Mean of nothing is 0 here as in the cpu kernel (it divides each element, then sums none).
    const scale = mean && count > 0 ? 1 / count : 1;
    const values = reduceAxes(addon, op, xv, x.shape, axes, scale);
    const shape =
      attrs["keepDims"] === true ? tf.backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
    return output(backend, shape, values);
  };
}

const softmax: NativeKernel = (args, addon) => {
  const backend = args.backend as CpuBackend;
  const { logits } = args.inputs;
  const lv = float32Values(backend, logits);
  if (logits === undefined || lv === undefined) return undefined;
  const rank = logits.shape.length;
  const { dim } = attrsOf<tf.SoftmaxAttrs>(args);
  if (rank === 0 || (dim !== -1 && dim !== rank - 1)) return undefined; // the cpu kernel says why
  const cols = logits.shape[rank - 1]!;
  const out = outputArray(args.backend, lv.length);
  if (cols > 0) addon.softmax(lv, out, lv.length / cols, cols);
  return output(backend, logits.shape, out);
};

/** The native reduction kernels by tfjs kernel name. */
export const reduceKernels: Readonly<Record<string, NativeKernel>> = {
  [tf.Sum]: reduction(ReduceOp.sum, false, "axis"),
  [tf.Mean]: reduction(ReduceOp.sum, true, "axis"),
  [tf.Max]: reduction(ReduceOp.max, false, "reductionIndices"),
  [tf.Min]: reduction(ReduceOp.min, false, "axis"),
  [tf.Softmax]: softmax,
};
