// Prepares .gpu/ (at the repository root, git-ignored through .git/info/exclude) for a GPU machine
// that reaches no registry: bench.mjs and scm-train bundled with the built workspace packages and their
// one tfjs, Dawn's dawn.node (the `webgpu` package, linux-x64 only), the Vulkan loader's .debs, Node
// itself, the MNIST feature network's weights, and the embedded MNIST training digits as .npy.
// Run `pnpm build` first; needs esbuild (ESBUILD_DIR: a folder whose node_modules has it). README.md.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const out = join(root, ".gpu");
const esbuild = await import(
  createRequire(`${process.env.ESBUILD_DIR ?? "/tmp/wg/deps"}/`).resolve("esbuild")
);
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "app/bin"), { recursive: true });

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Dawn is copied beside the bundle; the tfjs-node packages are imported by computed names and absent
  // there (their candidates report so). Everything else, the native addon's loader included, is bundled.
  external: ["webgpu", "@tensorflow/tfjs-node", "@tensorflow/tfjs-node-gpu"],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  nodePaths: [
    join(root, "apps/train/node_modules"),
    join(root, "packages/losses/node_modules"),
    join(root, "node_modules"),
  ],
  logLevel: "warning",
};
await esbuild.build({
  ...common,
  entryPoints: [join(here, "bench.mjs")],
  outfile: join(out, "app/bin/bench.mjs"),
});
await esbuild.build({
  ...common,
  entryPoints: [join(root, "apps/train/dist/main.js")],
  outfile: join(out, "app/bin/train.mjs"),
});
// One tfjs: every copy of tfjs-core registers its version, so two copies would show two lines.
for (const f of ["bench.mjs", "train.mjs"]) {
  const copies =
    readFileSync(join(out, "app/bin", f), "utf8").match(/var version\S* = ['"]4\.22\.0['"]/g) ?? [];
  console.log(`${f}: ${copies.length} tfjs version constants (core, umbrella and backends each have one)`);
}

// Dawn: the package's loader and the linux-x64 binary only.
const webgpu = dirname(
  createRequire(join(root, "packages/backend/package.json")).resolve("webgpu/package.json"),
);
mkdirSync(join(out, "node_modules/webgpu/dist/linux-x64"), { recursive: true });
for (const f of ["package.json", "index.js"])
  copyFileSync(join(webgpu, f), join(out, "node_modules/webgpu", f));
copyFileSync(
  join(webgpu, "dist/linux-x64/dawn.node"),
  join(out, "node_modules/webgpu/dist/linux-x64/dawn.node"),
);
// scm-train's FID network, where MNIST_WEIGHTS_PATH looks from app/bin/train.mjs (../../weights).
mkdirSync(join(out, "weights"));
copyFileSync(
  join(root, "packages/fid/weights/mnist-features.safetensors"),
  join(out, "weights/mnist-features.safetensors"),
);

// The embedded MNIST training digits (the FID split's training part) as float32 [N, 28, 28, 1] in [−1, 1].
const { loadMnist } = await import(join(root, "packages/data/dist/node/index.js"));
const { encodeNpy } = await import(join(root, "packages/io/dist/index.js"));
const ndarray = createRequire(join(root, "packages/io/package.json"))("ndarray");
const train = await loadMnist({ part: "train", split: "fid" });
writeFileSync(join(out, "mnist-train.npy"), encodeNpy(ndarray(train.x, [train.n, 28, 28, 1])));
execFileSync("xz", ["-T2", join(out, "mnist-train.npy")]);

// Node (the GPU image has none) and the Vulkan loader with glvnd, which the NVIDIA ICD needs beside it.
execFileSync("sh", ["-c", `xz -T2 -c "$(command -v node)" > "${join(out, "node.xz")}"`]);
mkdirSync(join(out, "debs"));
execFileSync(
  "apt-get",
  [
    "download",
    "libvulkan1",
    "libglvnd0",
    "libglx0",
    "libegl1",
    "libgl1",
    "libopengl0",
    "libgles2",
    "libx11-6",
    "libxext6",
    "libxcb1",
    "libxau6",
    "libxdmcp6",
    "libbsd0",
    "libmd0",
  ],
  { cwd: join(out, "debs"), stdio: "ignore" },
);
copyFileSync(join(here, "run.sh"), join(out, "run.sh"));
console.log(execFileSync("du", ["-sh", out], { encoding: "utf8" }).trim());
