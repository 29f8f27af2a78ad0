// What an architecture is: one file with its config's resolver and one definition that declares every
// parameter in a scope (layer.ts) and returns the conditioning and the body applying them
// (network-fn.ts). `architecture` turns that into the spec, fresh parameters and the network function
// of a config; network.ts keeps the registry by `kind`.
import type { NetworkFn } from "@scm/trigflow";
import type { ConditioningConfig } from "./config.js";
import { ParamScope } from "./layer.js";
import { type BuildOptions, type NetworkDefinition, networkFn } from "./network-fn.js";
import { checkParams, initParams, type ParamSpec, type Params } from "./params.js";

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
