// Run by `pnpm install`: one line on the optional TensorFlow C backends, whose own install scripts
// (which download libtensorflow and print stack traces where that fails) pnpm-workspace.yaml keeps off.
import { existsSync, readdirSync } from "node:fs";

// node-pre-gyp puts the binding in lib/napi-v<N>/ once libtensorflow is there.
const binding = (pkg) => {
  const lib = new URL(`../../packages/backend/node_modules/@tensorflow/${pkg}/lib/`, import.meta.url);
  return existsSync(lib) && readdirSync(lib).some((d) => existsSync(new URL(`${d}/tfjs_binding.node`, lib)));
};
const ready = ["tfjs-node-gpu", "tfjs-node"].filter(binding);
console.log(
  ready.length > 0
    ? `sCM-TS: ${ready.join(" and ")} set up; @scm/backend will use ${ready[0]}.`
    : "sCM-TS: optional tfjs-node(-gpu) not set up (they download libtensorflow), as expected offline: @scm/backend uses the native addon. With network and CUDA: pnpm setup:tfjs-node-gpu.",
);
