// jvp: forward-mode autodiff, `torch.func.jvp` / `jax.jvp` for tfjs. sCM's training signal dF/dt is
// one such product through the whole network (Alg. 1; docs/math.md §2).
//
// Ownership: the primals and tangents stay the caller's. Everything returned is fresh (no data is
// copied: returned tensors share storage with what `fn` produced), and every intermediate, tangents
// included, is disposed before `jvp` returns, whether `fn` returns or throws.
import { sameShape, type Tensor, tf } from "@scm/backend";
import { formatShape } from "@scm/errors";
import { DtypeError, JvpArgumentError, ShapeError } from "./errors.js";
import { identity, openTrace } from "./trace.js";

/** What a differentiated function may return: a tensor, an array of tensors, or a record of tensors. */
export type Outputs = Tensor | readonly Tensor[] | { readonly [key: string]: Tensor };

/** Options of `jvp`. */
export interface JvpOptions {
  /** `fn` returns `[outputs, aux]`; `aux` is returned as is, without tangents. */
  hasAux?: boolean;
}

function checkArguments(primals: readonly Tensor[], tangents: readonly Tensor[]): void {
  if (!Array.isArray(primals) || !Array.isArray(tangents)) {
    throw new JvpArgumentError("primals/tangents", "not a pair of arrays", "two arrays of tensors");
  }
  if (primals.length !== tangents.length) {
    throw new JvpArgumentError(
      "tangents",
      `an array of ${tangents.length}`,
      `one tangent per primal (${primals.length})`,
    );
  }
  primals.forEach((p, i) => {
    const t = tangents[i]!;
    if (!(p instanceof tf.Tensor)) throw new JvpArgumentError(`primals[${i}]`, typeof p, "a tf.Tensor");
    if (!(t instanceof tf.Tensor)) throw new JvpArgumentError(`tangents[${i}]`, typeof t, "a tf.Tensor");
    if (p.dtype !== "float32") throw new DtypeError(`primals[${i}]`, p.dtype, "float32");
    if (t.dtype !== "float32") throw new DtypeError(`tangents[${i}]`, t.dtype, "float32");
    if (!sameShape(p.shape, t.shape)) {
      throw new ShapeError(`tangents[${i}]`, t.shape, `${formatShape(p.shape)}, the shape of primals[${i}]`);
    }
  });
}

function mapOutputs(out: Outputs, fn: (x: Tensor, path: string) => Tensor): Outputs {
  if (out instanceof tf.Tensor) return fn(out, "output");
  if (Array.isArray(out)) return out.map((x, i) => fn(x, `output[${i}]`));
  if (out !== null && typeof out === "object") {
    const entries = Object.entries(out as Record<string, Tensor>);
    return Object.fromEntries(entries.map(([k, x]) => [k, fn(x, `output.${k}`)]));
  }
  throw new JvpArgumentError(
    "The function's output",
    String(out),
    "a tensor, an array or a record of tensors",
  );
}

/**
 * Jacobian-vector product: runs `fn(...primals)` and returns `[outputs, outputTangents]`, the
 * tangents being J·tangents; with `{ hasAux: true }`, `fn` returns `[outputs, aux]` and the result is
 * `[outputs, outputTangents, aux]`.
 */
export function jvp<O extends Outputs>(
  fn: (...primals: Tensor[]) => O,
  primals: readonly Tensor[],
  tangents: readonly Tensor[],
): [O, O];
export function jvp<O extends Outputs, A>(
  fn: (...primals: Tensor[]) => readonly [O, A],
  primals: readonly Tensor[],
  tangents: readonly Tensor[],
  options: { hasAux: true },
): [O, O, A];
export function jvp(
  fn: (...primals: Tensor[]) => Outputs | readonly [Outputs, unknown],
  primals: readonly Tensor[],
  tangents: readonly Tensor[],
  options: JvpOptions = {},
): [Outputs, Outputs] | [Outputs, Outputs, unknown] {
  checkArguments(primals, tangents);
  const scope = openTrace();
  try {
    return tf.tidy(() => {
      // Fresh inputs: a tensor that `fn` closes over (or that appears twice) carries no tangent of
      // its own, as in JAX. Identity at the enclosing level keeps any outer trace's tangents.
      const inputs = primals.map((p) => identity(p));
      for (const [i, x] of inputs.entries()) scope.seed(x, identity(tangents[i]!));
      const result = scope.run(() => fn(...inputs));
      let outputs: Outputs;
      let aux: unknown;
      if (options.hasAux) {
        if (!Array.isArray(result) || result.length !== 2) {
          throw new JvpArgumentError("The function's result", "not a pair", "[outputs, aux] with hasAux");
        }
        [outputs, aux] = result as [Outputs, unknown];
      } else {
        outputs = result as Outputs;
      }
      const outTangents = mapOutputs(outputs, (x, path) => {
        if (!(x instanceof tf.Tensor)) throw new JvpArgumentError(path, typeof x, "a tf.Tensor");
        const t = scope.tangent(x);
        // An output that does not depend on the primals has the zero tangent, materialised here.
        return t === undefined ? tf.zeros(x.shape, "float32") : identity(t);
      });
      const freshOutputs = mapOutputs(outputs, (x) => identity(x));
      const result_ = options.hasAux ? [freshOutputs, outTangents, aux] : [freshOutputs, outTangents];
      return result_ as unknown as tf.TensorContainer;
    }) as unknown as [Outputs, Outputs] | [Outputs, Outputs, unknown];
  } finally {
    scope.close();
  }
}
