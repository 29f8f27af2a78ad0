// vitest setup shared by every package: starts the backend named by SCM_BACKEND (default "cpu") once
// per test file, quietly, so test output stays readable.
import type { BackendName } from "../backends.js";
import { initBackend } from "../init-backend.js";

const requested = globalThis.process?.env?.["SCM_BACKEND"];
// initBackend validates the name and says which values it accepts.
await initBackend({ backend: (requested ?? "cpu") as BackendName, quiet: true });
