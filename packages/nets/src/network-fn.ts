// The shell every network shares: what an architecture's definition returns (its sample shape, its
// conditioning and its body), and the `NetworkFn` over it, which checks a call's tensors, runs the
// conditioning and the body inside one tf.tidy, and returns TrigFlow's { F, logvar } (the `NetworkFn`
// of @scm/trigflow, Eq. 3, §4.2).
import { type Tensor, tf } from "@scm/backend";
import { formatShape } from "@scm/errors";
import type { AttentionOptions } from "@scm/jvp";
import type { NetworkFn, NetworkOptions } from "@scm/trigflow";
import type { ConditioningConfig } from "./config.js";
import type { ConditioningLayer } from "./embedding.js";
import { NetworkInputError } from "./errors.js";
import { type DropoutState, dropoutState } from "./layers.js";
import type { Params } from "./params.js";

/** Options of building a network function (execution only; they do not change the numbers' meaning). */
export interface BuildOptions {
  /** Passed to every attention layer: "blockwise" mode streams key blocks (App. F), same result. */
  attention?: AttentionOptions;
}

/** A network body over `params`: x [B, ...sample] and emb [B, E] → F [B, ...sample]. */
export type NetworkBody = (p: Params, x: Tensor, emb: Tensor, drop: DropoutState) => Tensor;

/** What an architecture's definition returns once its parameters are declared. */
export interface NetworkDefinition {
  /** One sample's shape: x is [B, ...sample]. */
  readonly sample: readonly number[];
  /** The time / label / guidance embedding and the w_φ head (embedding.ts). */
  readonly conditioning: ConditioningLayer;
  readonly body: NetworkBody;
}

function checkTensor(what: string, x: unknown, dtype: string, shape: readonly number[]): void {
  if (!(x instanceof tf.Tensor)) throw new NetworkInputError(what, typeof x, `a ${dtype} tensor`);
  const ok =
    x.rank === shape.length && x.shape.every((d: number, i: number) => shape[i] === -1 || d === shape[i]);
  if (!ok)
    throw new NetworkInputError(
      `${what}'s shape`,
      formatShape(x.shape),
      formatShape(shape).replace("-1", "B"),
    );
  if (x.dtype !== dtype) throw new NetworkInputError(`${what}'s dtype`, x.dtype, dtype);
}

/** Checks x [B, ...sample], t [B], label int32 [B] and guidance float32 [B] against the config. */
export function checkCall(
  cfg: ConditioningConfig,
  sample: readonly number[],
  x: Tensor,
  t: Tensor,
  options: NetworkOptions,
): void {
  checkTensor("x", x, "float32", [-1, ...sample]);
  const b = x.shape[0]!;
  checkTensor("t", t, "float32", [b]);
  if (options.label !== undefined) {
    if (cfg.numClasses === 0) {
      throw new NetworkInputError(
        "options.label",
        "given",
        "no label: this network's config has numClasses 0",
      );
    }
    checkTensor("options.label", options.label, "int32", [b]);
  }
  if (cfg.guidanceEmbedding) {
    if (options.guidance === undefined) {
      throw new NetworkInputError(
        "options.guidance",
        "missing",
        "a guidance scale [B]: the config embeds one",
      );
    }
    checkTensor("options.guidance", options.guidance, "float32", [b]);
  } else if (options.guidance !== undefined) {
    throw new NetworkInputError("options.guidance", "given", "none: the config has guidanceEmbedding false");
  }
}

/**
 * A `NetworkFn` from a definition: each call checks its inputs, then computes the conditioning and F
 * inside one tf.tidy, so only F and logvar outlive the call. Pure: params are only read.
 */
export function networkFn(cfg: ConditioningConfig, definition: NetworkDefinition, params: Params): NetworkFn {
  const { sample, conditioning, body } = definition;
  return (x, t, options = {}) => {
    checkCall(cfg, sample, x, t, options);
    return tf.tidy(() => {
      const { emb, logvar } = conditioning(params, t, options.label, options.guidance);
      const F = body(params, x, emb, dropoutState(options.dropout, cfg.dropout));
      return { F, logvar };
    });
  };
}
