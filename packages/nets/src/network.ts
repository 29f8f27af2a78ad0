// The architectures by `kind`, one registry: what the apps use when a config comes from JSON (a run
// directory's config.json, a safetensors file's metadata). A new architecture is one file exporting an
// `architecture({ kind, resolve, define })` (architecture.ts) and one line here.
import type { NetworkFn } from "@scm/trigflow";
import type { Architecture } from "./architecture.js";
import { asObject, oneOf } from "./config.js";
import { ditArchitecture } from "./dit.js";
import { mlpArchitecture } from "./mlp.js";
import type { BuildOptions } from "./network-fn.js";
import { countSpec, type ParamSpec, type Params } from "./params.js";
import { unetArchitecture } from "./unet.js";

/** Every architecture by its config's `kind`. */
export const architectures = {
  unet: unetArchitecture,
  dit: ditArchitecture,
  mlp: mlpArchitecture,
} as const;

/** Any network's config; `kind` tells which. */
export type NetworkConfig = {
  [K in keyof typeof architectures]: (typeof architectures)[K] extends Architecture<infer C> ? C : never;
}[keyof typeof architectures];

/** The architecture a config's `kind` names (a ConfigError for any other kind). */
function architectureOf(input: unknown): Architecture<NetworkConfig> {
  const kinds = Object.keys(architectures) as (keyof typeof architectures)[];
  return architectures[oneOf(asObject(input, "config"), "kind", kinds)] as Architecture<NetworkConfig>;
}

/** Validates any network config (JSON in; `kind` is required), filling its defaults. */
export function resolveNetworkConfig(input: unknown): NetworkConfig {
  return architectureOf(input).resolve(input);
}

/** Every parameter of `config`'s network: names, shapes and initialisers, allocating nothing. */
export function paramSpec(config: NetworkConfig): ParamSpec {
  return architectureOf(config).spec(config);
}

/** Fresh parameters of `config`'s network, deterministic per seed. */
export function initNetwork(config: NetworkConfig, seed: number): Params {
  return architectureOf(config).init(config, seed);
}

/** `config`'s network over `params` as a `NetworkFn` (F and w_φ(t)). */
export function network(config: NetworkConfig, params: Params, options: BuildOptions = {}): NetworkFn {
  return architectureOf(config).network(config, params, options);
}

/** Trainable scalars of a network: of a config (from its spec, nothing allocated) or of built params. */
export function countParams(of: NetworkConfig | Params): number {
  if (typeof (of as { kind?: unknown }).kind === "string") return countSpec(paramSpec(of as NetworkConfig));
  let n = 0;
  for (const v of Object.values(of as Params)) if (v.trainable) n += v.size;
  return n;
}
