// Checks of a JVP against references that do not share its code:
// - central finite differences with one Richardson step, evaluated in float32 and combined in float64;
// - the dot-product identity ⟨u, J·v⟩ = ⟨Jᵀu, v⟩, with Jᵀu from tfjs's reverse mode (exact up to
//   float32 rounding);
// - the double-VJP identity J·v = ∇_u ⟨Jᵀu, v⟩ (reverse over reverse; needs tfjs's second-order
//   gradients of the ops involved).
import { type Rng, randomNormal, type Tensor, tf } from "@scm/backend";
import { jvp, type Outputs } from "../jvp.js";
import { relativeError, toFloat64 } from "./allclose.js";
import { leakedTensors } from "./leaks.js";

/** A function under test: tensors in, a tensor / array / record of tensors out. */
export type TestFn = (...primals: Tensor[]) => Outputs;

function flatten(out: Outputs): Tensor[] {
  if (out instanceof tf.Tensor) return [out];
  return Array.isArray(out) ? [...out] : Object.values(out);
}

function evaluate(fn: TestFn, xs: Tensor[]): Float64Array[] {
  return tf
    .tidy(() => flatten(fn(...xs)))
    .map((t) => {
      const values = toFloat64(t);
      t.dispose();
      return values;
    });
}

function jvpValues(fn: TestFn, primals: readonly Tensor[], tangents: readonly Tensor[]): Float64Array[] {
  const [out, tOut] = jvp(fn, primals, tangents);
  const values = flatten(tOut).map(toFloat64);
  tf.dispose([out, tOut] as unknown as tf.TensorContainer);
  return values;
}

/** Options of the finite-difference check. */
export interface FiniteDifferenceOptions {
  /** Random directions are drawn from this stream. */
  rng: Rng;
  /** How many random directions (default 2). */
  directions?: number;
  /** The step h along each unit-normal direction (default 1e-2, see `jvpFiniteDifferenceError`). */
  h?: number;
  /** Tangents to use instead of random ones (one set per direction). */
  tangents?: readonly (readonly Tensor[])[];
}

/**
 * The worst norm-wise relative error ‖J·v − FD‖/‖FD‖ over random directions v, where FD is the
 * Richardson-extrapolated central difference (4·D(h/2) − D(h))/3, D(h) = (f(x + hv) − f(x − hv))/2h.
 * Its truncation error is O(h⁴) and its float32 rounding error about 3·2⁻²⁴·|f|/(h·|J·v|), so with
 * h = 1e-2 and O(1) inputs a correct JVP scores ~1e-5 and 1e-3 is a safe tolerance.
 */
export function jvpFiniteDifferenceError(
  fn: TestFn,
  primals: readonly Tensor[],
  options: FiniteDifferenceOptions,
): number {
  const { rng, directions = 2, h = 1e-2 } = options;
  let worst = 0;
  const count = options.tangents?.length ?? directions;
  for (let d = 0; d < count; d++) {
    const v = options.tangents?.[d] ?? primals.map((p) => randomNormal(rng, p.shape));
    const exact = jvpValues(fn, primals, v);
    const at = (s: number) => {
      const xs = tf.tidy(() => primals.map((p, i) => tf.add(p, tf.mul(v[i]!, s))));
      const values = evaluate(fn, xs);
      tf.dispose(xs);
      return values;
    };
    const central = (step: number) => {
      const plus = at(step);
      const minus = at(-step);
      return plus.map((p, k) => p.map((value, i) => (value - minus[k]![i]!) / (2 * step)));
    };
    const coarse = central(h);
    const fine = central(h / 2);
    exact.forEach((e, k) => {
      const fd = fine[k]!.map((value, i) => (4 * value - coarse[k]![i]!) / 3);
      worst = Math.max(worst, relativeError(e, fd));
    });
    if (options.tangents === undefined) tf.dispose([...v]);
  }
  return worst;
}

/** What the dot-product check measured. */
export interface DotProductReport {
  /** ⟨u, J·v⟩ from `jvp`. */
  forward: number;
  /** ⟨Jᵀu, v⟩ from tfjs's reverse mode. */
  reverse: number;
  /** |forward − reverse| / (‖u‖·‖J·v‖ + ‖Jᵀu‖·‖v‖): float32 rounding makes it ~1e-7·√(op depth). */
  error: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
const norm = (a: Float64Array) => Math.sqrt(dot(a, a));

/** Checks ⟨u, J·v⟩ = ⟨Jᵀu, v⟩ for random u, v drawn from `rng` (the dot-product test). */
export function jvpDotProductCheck(fn: TestFn, primals: readonly Tensor[], rng: Rng): DotProductReport {
  const v = primals.map((p) => randomNormal(rng, p.shape));
  const outShapes = tf.tidy(() => flatten(fn(...primals)).map((t) => t.shape));
  const u = outShapes.map((s) => randomNormal(rng, s));
  const jv = jvpValues(fn, primals, v);
  const vjp = tf.grads((...xs: Tensor[]) =>
    tf.addN(flatten(fn(...xs)).map((o, k) => tf.sum(tf.mul(o, u[k]!)))),
  )(primals as Tensor[]);
  const jtu = vjp.map(toFloat64);
  const uValues = u.map(toFloat64);
  const vValues = v.map(toFloat64);
  tf.dispose([...u, ...v, ...vjp]);
  const forward = jv.reduce((s, x, k) => s + dot(x, uValues[k]!), 0);
  const reverse = jtu.reduce((s, g, i) => s + dot(g, vValues[i]!), 0);
  const l2 = (xs: Float64Array[]) => Math.sqrt(xs.reduce((s, x) => s + norm(x) ** 2, 0));
  const scale = l2(uValues) * l2(jv) + l2(jtu) * l2(vValues);
  return { forward, reverse, error: scale === 0 ? 0 : Math.abs(forward - reverse) / scale };
}

/**
 * J·v by reverse over reverse mode: ∇_u ⟨Jᵀu, v⟩ (linear in u, so any u gives the same value). Returns
 * one float64 array per output.
 */
export function jvpByDoubleVjp(
  fn: TestFn,
  primals: readonly Tensor[],
  tangents: readonly Tensor[],
): Float64Array[] {
  const outShapes = tf.tidy(() => flatten(fn(...primals)).map((t) => t.shape));
  const u0 = outShapes.map((s) => tf.zeros(s));
  const grads = tf.grads((...us: Tensor[]) => {
    const jtu = tf.grads((...xs: Tensor[]) =>
      tf.addN(flatten(fn(...xs)).map((o, k) => tf.sum(tf.mul(o, us[k]!)))),
    )(primals as Tensor[]);
    return tf.addN(jtu.map((g, i) => tf.sum(tf.mul(g, tangents[i]!))));
  })(u0);
  const values = grads.map(toFloat64);
  tf.dispose([...u0, ...grads]);
  return values;
}

/** ‖J·v (jvp) − J·v (double VJP)‖/‖J·v (double VJP)‖, worst over outputs, for one direction v. */
export function jvpDoubleVjpError(
  fn: TestFn,
  primals: readonly Tensor[],
  tangents: readonly Tensor[],
): number {
  const reference = jvpByDoubleVjp(fn, primals, tangents);
  const ours = jvpValues(fn, primals, tangents);
  return Math.max(...ours.map((x, k) => relativeError(x, reference[k]!)));
}

/** The three numbers most op and network tests assert: see the functions each comes from. */
export interface JvpReport {
  /** `jvpFiniteDifferenceError` over two random directions; a correct JVP scores ≲ 1e-4. */
  finiteDifference: number;
  /** `jvpDotProductCheck(...).error`; a correct JVP scores ≲ 1e-6. */
  dotProduct: number;
  /** `leakedTensors` of three `jvp` calls along a random direction; 0 when nothing leaks. */
  leaked: number;
}

/** Runs the finite-difference, dot-product and no-leak checks of `fn`'s JVP at `primals`. */
export function jvpReport(
  fn: TestFn,
  primals: readonly Tensor[],
  rng: Rng,
  options: { h?: number } = {},
): JvpReport {
  const finiteDifference = jvpFiniteDifferenceError(fn, primals, { rng, ...options });
  const dotProduct = jvpDotProductCheck(fn, primals, rng).error;
  const v = primals.map((p) => randomNormal(rng, p.shape));
  const leaked = leakedTensors(() => jvp(fn, primals, v));
  tf.dispose(v);
  return { finiteDifference, dotProduct, leaked };
}
