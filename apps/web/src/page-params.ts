// What the page draws, kept in the URL: a reload (or a shared link) draws the same picture.

import type { BackendName } from "@scm/backend";
import { browserBackendNames } from "@scm/backend/browser";

/** The page's settings. */
export interface PageParams {
  /** A shipped model's name. */
  readonly model: string;
  /** The class to draw, or "random" (one class per sample from the seed). */
  readonly digit: number | "random";
  /** Consistency steps: 1, or 2 through t_mid = 1.1 (§4). */
  readonly steps: 1 | 2;
  /** Guidance scale s for a student that embeds it (§4.2); undefined: the model's own default. */
  readonly guidance: number | undefined;
  readonly seed: number;
  readonly batch: 16 | 64;
  readonly backend: BackendName | "auto";
}

/** What the page draws with no parameters. */
export const defaultParams: PageParams = {
  model: "mnist-scd",
  digit: "random",
  steps: 1,
  guidance: undefined,
  seed: 0,
  batch: 16,
  backend: "auto",
};

function integer(value: string | null, min: number, max: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

/** The settings a query string asks for; a value out of range falls back to the default. */
export function parseParams(search: string): PageParams {
  const q = new URLSearchParams(search);
  const digit = q.get("digit") === "random" ? "random" : integer(q.get("digit"), 0, 9);
  const steps = integer(q.get("steps"), 1, 2);
  const batch = integer(q.get("batch"), 16, 64);
  const guidance = Number(q.get("guidance") ?? Number.NaN);
  const backend = q.get("backend") ?? "auto";
  return {
    model: q.get("model") ?? defaultParams.model,
    digit: digit ?? defaultParams.digit,
    steps: steps === 2 ? 2 : 1,
    guidance: Number.isFinite(guidance) && guidance >= 1 ? guidance : undefined,
    seed: integer(q.get("seed"), 0, 2 ** 32 - 1) ?? defaultParams.seed,
    batch: batch === 64 ? 64 : 16,
    backend: (browserBackendNames as readonly string[]).includes(backend) ? (backend as BackendName) : "auto",
  };
}

/** The query string of `params` (defaults left out). */
export function formatParams(params: PageParams): string {
  const q = new URLSearchParams();
  for (const key of Object.keys(defaultParams) as (keyof PageParams)[]) {
    const value = params[key];
    if (value !== undefined && value !== defaultParams[key]) q.set(key, String(value));
  }
  const s = q.toString();
  return s === "" ? "" : `?${s}`;
}
