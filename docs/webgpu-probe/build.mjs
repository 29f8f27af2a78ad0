// Bundles probe.mjs with the built workspace packages and one tfjs 4.22 (the umbrella and
// tfjs-backend-webgpu from the probe's own install) into ../../.gpu/probe.mjs, dawn.node left outside.
// Steps: README.md beside this file.

import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const deps = process.env.WEBGPU_PROBE_DEPS ?? "/tmp/webgpu-probe-deps";
const req = createRequire(`${deps}/`);
const esbuild = await import(req.resolve("esbuild"));
await esbuild.build({
  entryPoints: [`${here}/probe.mjs`],
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: `${root}/.gpu/probe.mjs`,
  external: [
    "webgpu",
    "@tensorflow/tfjs-node",
    "@tensorflow/tfjs-node-gpu",
    "@tensorflow/tfjs-backend-wasm",
    "@scm/backend-native",
  ],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  nodePaths: [
    `${root}/apps/train/node_modules`,
    `${root}/packages/losses/node_modules`,
    `${root}/node_modules`,
  ],
  // One tfjs instance: every @tensorflow/* import resolves to the probe's install.
  plugins: [
    {
      name: "one-tfjs",
      setup(b) {
        b.onResolve({ filter: /^@tensorflow\/tfjs(-[a-z-]+)?(\/.*)?$/ }, (a) => ({
          path: req.resolve(a.path),
        }));
      },
    },
  ],
  logLevel: "warning",
});
