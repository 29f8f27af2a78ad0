// Shape ops: all linear in the tensor they move, so each tangent is the same op on the tangent (the
// `linear` factory); concat takes several tensors and instantiates zeros only for the missing ones.
import { type Tensor, tf } from "@scm/backend";
import { linear } from "../factories.js";
import { bind, type Primitive } from "../trace.js";

type Unary = readonly [Tensor];

export const shapePrimitives = {
  reshape: {
    name: "reshape",
    impl: ([x], { shape }) => tf.reshape(x, shape),
    jvp: ({ tangents: [t], out }) => reshape(t!, out.shape),
  } satisfies Primitive<Unary, { shape: number[] }>,
  transpose: {
    name: "transpose",
    impl: ([x], { perm }) => tf.transpose(x, perm),
    jvp: linear((t, _x, { perm }) => transpose(t, perm)),
  } satisfies Primitive<Unary, { perm: number[] | undefined }>,
  slice: {
    name: "slice",
    impl: ([x], { begin, size }) => tf.slice(x, begin, size),
    jvp: linear((t, _x, { begin, size }) => slice(t, begin, size)),
  } satisfies Primitive<Unary, { begin: number | number[]; size: number | number[] | undefined }>,
  concat: {
    name: "concat",
    impl: (xs, { axis }) => tf.concat(xs as Tensor[], axis),
    jvp: ({ primals, tangents, params: { axis } }) =>
      concat(
        primals.map((x, i) => tangents[i] ?? tf.zeros(x.shape)),
        axis,
      ),
  } satisfies Primitive<readonly Tensor[], { axis: number }>,
  // The tangent is padded with zeros whatever the primal's constant.
  pad: {
    name: "pad",
    impl: ([x], { paddings, constantValue }) => tf.pad(x, paddings, constantValue),
    jvp: linear((t, _x, { paddings }) => pad(t, paddings, 0)),
  } satisfies Primitive<Unary, { paddings: Array<[number, number]>; constantValue: number }>,
  tile: {
    name: "tile",
    impl: ([x], { reps }) => tf.tile(x, reps),
    jvp: linear((t, _x, { reps }) => tile(t, reps)),
  } satisfies Primitive<Unary, { reps: number[] }>,
  gather: {
    name: "gather",
    impl: ([x], { indices, axis, batchDims }) => tf.gather(x, indices, axis, batchDims),
    jvp: linear((t, _x, { indices, axis, batchDims }) => gather(t, indices, axis, batchDims)),
  } satisfies Primitive<Unary, { indices: Tensor | number[]; axis: number; batchDims: number }>,
  expandDims: {
    name: "expandDims",
    impl: ([x], { axis }) => tf.expandDims(x, axis),
    jvp: linear((t, _x, { axis }) => expandDims(t, axis)),
  } satisfies Primitive<Unary, { axis: number }>,
  squeeze: {
    name: "squeeze",
    impl: ([x], { axis }) => tf.squeeze(x, axis),
    jvp: linear((t, _x, { axis }) => squeeze(t, axis)),
  } satisfies Primitive<Unary, { axis: number[] | undefined }>,
};

/** `x` with a new shape of the same size; one entry may be -1 (tf.reshape). */
export function reshape(x: Tensor, shape: number[]): Tensor {
  return bind(shapePrimitives.reshape, [x], { shape });
}
/** `x` with its axes permuted (reversed when `perm` is omitted) (tf.transpose). */
export function transpose(x: Tensor, perm?: number[]): Tensor {
  return bind(shapePrimitives.transpose, [x], { perm });
}
/** The block of `x` starting at `begin` of extent `size` (-1: to the end) (tf.slice). */
export function slice(x: Tensor, begin: number | number[], size?: number | number[]): Tensor {
  return bind(shapePrimitives.slice, [x], { begin, size });
}
/** The tensors joined along `axis` (tf.concat). */
export function concat(tensors: Tensor[], axis = 0): Tensor {
  return bind(shapePrimitives.concat, tensors, { axis });
}
/** `x` padded by `paddings[i] = [before, after]` on axis i with `constantValue` (tf.pad). */
export function pad(x: Tensor, paddings: Array<[number, number]>, constantValue = 0): Tensor {
  return bind(shapePrimitives.pad, [x], { paddings, constantValue });
}
/** `x` repeated `reps[i]` times along axis i (tf.tile). */
export function tile(x: Tensor, reps: number[]): Tensor {
  return bind(shapePrimitives.tile, [x], { reps });
}
/** The slices of `x` at `indices` along `axis` (tf.gather). */
export function gather(x: Tensor, indices: Tensor | number[], axis = 0, batchDims = 0): Tensor {
  return bind(shapePrimitives.gather, [x], { indices, axis, batchDims });
}
/** `x` with a size-1 axis inserted at `axis` (tf.expandDims). */
export function expandDims(x: Tensor, axis = 0): Tensor {
  return bind(shapePrimitives.expandDims, [x], { axis });
}
/** `x` without its size-1 axes (those in `axis` when given) (tf.squeeze). */
export function squeeze(x: Tensor, axis?: number[]): Tensor {
  return bind(shapePrimitives.squeeze, [x], { axis });
}
/** `x` split along `axis` into `numOrSizeSplits` equal parts or parts of the given sizes (tf.split). */
export function split(x: Tensor, numOrSizeSplits: number | number[], axis = 0): Tensor[] {
  const ax = axis < 0 ? axis + x.rank : axis;
  const extent = x.shape[ax]!;
  let sizes: number[];
  if (typeof numOrSizeSplits === "number") {
    if (extent % numOrSizeSplits !== 0) {
      throw new RangeError(
        `split's numOrSizeSplits is ${numOrSizeSplits}; expected a divisor of axis ${ax}'s size ${extent}.`,
      );
    }
    sizes = new Array<number>(numOrSizeSplits).fill(extent / numOrSizeSplits);
  } else {
    const known = numOrSizeSplits.filter((s) => s !== -1).reduce((a, b) => a + b, 0);
    sizes = numOrSizeSplits.map((s) => (s === -1 ? extent - known : s));
  }
  let offset = 0;
  return sizes.map((s) => {
    const begin = x.shape.map((_, i) => (i === ax ? offset : 0));
    const size = x.shape.map((d, i) => (i === ax ? s : d));
    offset += s;
    return slice(x, begin, size);
  });
}
