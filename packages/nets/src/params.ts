// Parameters as data: a network's layers declare a `ParamSpec` (names, shapes, initialisers; layer.ts),
// from which `initParams` draws a flat record of tf.Variables. Each parameter is drawn from its own stream,
// `Rng.seeded(seed).at(hash(name))`, so a parameter's initial value depends only on the seed and its
// name, not on how many parameters came before it.
import { Rng, sameShape, tf } from "@scm/backend";
import { formatShape } from "@scm/errors";
import { NetworkInputError, WeightsError, type WeightsMismatch } from "./errors.js";

/** A network's parameters: flat, PyTorch-like dotted names (`enc.8x8_block0.conv0.weight`) → variables. */
export type Params = Record<string, tf.Variable>;

/** How a parameter starts: normal draws of standard deviation `std`, or a constant. */
export type ParamInit =
  | { readonly kind: "normal"; readonly std: number }
  | { readonly kind: "constant"; readonly value: number };

/** One parameter's shape, initialiser and whether tfjs's optimisers train it (Fourier frequencies do not). */
export interface ParamEntry {
  readonly shape: readonly number[];
  readonly init: ParamInit;
  readonly trainable: boolean;
}

/** Every parameter of a network by name, in definition order. */
export type ParamSpec = Record<string, ParamEntry>;

/** 32-bit FNV-1a of a string: the stream key of a parameter name. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The initial values of one parameter, drawn from `Rng.seeded(seed).at(fnv1a(name))`. */
export function initialValues(name: string, entry: ParamEntry, seed: number): Float32Array {
  const out = new Float32Array(sizeOf(entry.shape));
  if (entry.init.kind === "constant") return out.fill(entry.init.value);
  return Rng.seeded(seed).at(fnv1a(name)).fillNormal(out, 0, entry.init.std);
}

/** Draws every parameter of `spec` as a fresh tf.Variable; the same seed gives the same values. */
export function initParams(spec: ParamSpec, seed: number): Params {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`The seed is ${seed}; expected a non-negative safe integer.`);
  }
  const params: Params = {};
  for (const [name, entry] of Object.entries(spec)) {
    const value = tf.tensor(initialValues(name, entry, seed), [...entry.shape], "float32");
    params[name] = tf.variable(value, entry.trainable);
    value.dispose();
  }
  return params;
}

/** The number of trainable scalars a spec defines (PyTorch's count: non-trainable buffers excluded). */
export function countSpec(spec: ParamSpec): number {
  let n = 0;
  for (const entry of Object.values(spec)) if (entry.trainable) n += sizeOf(entry.shape);
  return n;
}

/** Disposes every variable of `params`. */
export function disposeParams(params: Params): void {
  for (const v of Object.values(params)) v.dispose();
}

/** The parameter `name` of `params`, or a NetworkInputError naming it. */
export function param(params: Params, name: string): tf.Variable {
  const p = params[name];
  if (p === undefined) {
    throw new NetworkInputError(
      `Parameter "${name}"`,
      "missing",
      "params built from the same config (initNetwork or paramsFromSafetensors)",
    );
  }
  return p;
}

/** Every difference between the spec's names and shapes and `shapes` (a file's or a Params' tensors). */
export function paramMismatches(
  spec: ParamSpec,
  shapes: Record<string, readonly number[]>,
): WeightsMismatch[] {
  const out: WeightsMismatch[] = [];
  for (const [name, entry] of Object.entries(spec)) {
    const shape = shapes[name];
    if (shape === undefined) out.push({ name, kind: "missing" });
    else if (!sameShape(shape, entry.shape)) {
      out.push({ name, kind: "shape", actual: formatShape(shape), expected: formatShape(entry.shape) });
    }
  }
  for (const name of Object.keys(shapes)) if (!(name in spec)) out.push({ name, kind: "unexpected" });
  return out;
}

/** Throws a WeightsError listing every name or shape of `params` that differs from the spec. */
export function checkParams(spec: ParamSpec, params: Params): void {
  const shapes = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.shape]));
  const mismatches = paramMismatches(spec, shapes);
  if (mismatches.length > 0) throw WeightsError.mismatched(mismatches);
}
