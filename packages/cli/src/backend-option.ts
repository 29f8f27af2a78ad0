// The --backend option every sCM-TS command shares, so its choices follow @scm/backend's list.
import { backendNames } from "@scm/backend";
import type { StringOption } from "./options.js";

/** `--backend auto|node-gpu|…`: the tfjs backend, for an option table (`backend: backendOption`). */
export const backendOption = {
  type: "string",
  choices: ["auto", ...backendNames],
  doc: "tfjs backend (default: SCM_BACKEND, else the fastest that starts)",
} as const satisfies StringOption;
