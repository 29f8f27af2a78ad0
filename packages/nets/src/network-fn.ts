// What an architecture is, and the shell every network shares. An architecture is one file: its config's
// resolver and one definition that declares every parameter in a scope (layer.ts) and returns the
// conditioning and the body applying them. The shell checks a call's tensors, runs the conditioning and
// the body inside one tf.tidy, and returns TrigFlow's { F, logvar } (the `NetworkFn` of @scm/trigflow,
// Eq. 3, §4.2).
import { type Tensor, tf } from "@scm/backend";
import { formatShape } from "@scm/errors";
import type { AttentionOptions } from "@scm/jvp";
import type { NetworkFn, NetworkOptions } from "@scm/trigflow";
import type { ConditioningConfig } from "./config.js";
import type { ConditioningLayer } from "./embedding.js";
import { NetworkInputError } from "./errors.js";
import { ParamScope } from "./layer.js";
import { type DropoutState, dropoutState } from "./layers.js";
import { checkParams, initParams, type ParamSpec, type Params } from "./params.js";

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

type KindedConfig = ConditioningConfig & { readonly kind: string };

/** What an architecture's file writes: the config of `kind` and the one definition of its layers. */
export interface ArchitectureDefinition<C extends KindedConfig> {
  readonly kind: C["kind"];
  /** Validates a config of this kind (JSON in), filling its defaults; a ConfigError names a bad field. */
  resolve(input: unknown): C;
  /** Declares every parameter of `config`'s network in `scope`, in order, and returns how to apply them. */
  define(config: C, scope: ParamScope, options: BuildOptions): NetworkDefinition;
}

/** An architecture: its definition, and what it gives for a config. */
export interface Architecture<C extends KindedConfig> extends ArchitectureDefinition<C> {
  /** Every parameter of `config`'s network (names, shapes, initialisers), in order, allocating nothing. */
  readonly spec: (config: C) => ParamSpec;
  /** Fresh parameters of `config`'s network, deterministic per seed. */
  readonly init: (config: C, seed: number) => Params;
  /** `config`'s network over `params` (checked against its spec) as a `NetworkFn`. */
  readonly network: (config: C, params: Params, options?: BuildOptions) => NetworkFn;
}

/** The architecture of a definition: its spec, fresh parameters and network function from a config. */
export function architecture<C extends KindedConfig>(definition: ArchitectureDefinition<C>): Architecture<C> {
  const spec = (config: C): ParamSpec => {
    const scope = new ParamScope();
    definition.define(definition.resolve(config), scope, {});
    return scope.spec;
  };
  return {
    ...definition,
    spec,
    init: (config, seed) => initParams(spec(config), seed),
    network: (config, params, options = {}) => {
      const cfg = definition.resolve(config);
      const scope = new ParamScope();
      const network = definition.define(cfg, scope, options);
      checkParams(scope.spec, params);
      return networkFn(cfg, network, params);
    },
  };
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
