// Builds the N-API addon (build/Release/scm_native.node) with node-gyp, offline, against the headers
// of the Node that runs this script. Run at install: without a C compiler or a CBLAS it prints one
// line saying how to get the fast path and exits 0, so the project still installs and runs on
// wasm/cpu. `--force` (the build:native script) rebuilds even when up to date and fails loudly.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const force = process.argv.includes("--force");
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const addon = join(root, "build", "Release", "scm_native.node");
const log = join(root, "build", "build.log");
const howTo =
  process.platform === "darwin"
    ? "install the Xcode command line tools (xcode-select --install)"
    : "install a C compiler and OpenBLAS (Debian/Ubuntu: apt-get install -y build-essential libopenblas-dev)";

function notBuilt(reason) {
  const line =
    `[scm] native backend not built: ${reason}. The project runs on wasm/cpu; for the fast path ` +
    `${howTo}, then run: pnpm --filter @scm/backend-native build:native`;
  console.warn(line);
  process.exit(force ? 1 : 0);
}

function onPath(cmd) {
  return (process.env.PATH ?? "").split(delimiter).some((d) => d !== "" && existsSync(join(d, cmd)));
}

// The newest modification time among the sources, to skip a rebuild that would change nothing.
function newestSource() {
  const files = [
    join(root, "binding.gyp"),
    ...readdirSync(join(root, "csrc")).map((f) => join(root, "csrc", f)),
  ];
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

if (process.env.SCM_NATIVE_SKIP === "1") notBuilt("SCM_NATIVE_SKIP=1 is set");
if (!force && existsSync(addon) && statSync(addon).mtimeMs >= newestSource()) process.exit(0);

if (process.platform === "win32") notBuilt("Windows is not supported by this addon yet");
const cc = process.env.CC ?? "cc";
if (!onPath(cc) && !existsSync(cc)) notBuilt(`no C compiler (${cc}) on PATH`);
if (process.platform === "linux") {
  // Debian puts cblas.h in the multiarch include directory, Fedora under openblas/.
  const dirs = ["/usr/include", "/usr/local/include", "/usr/include/openblas"];
  const multiarch = spawnSync(cc, ["-print-multiarch"], { encoding: "utf8" }).stdout?.trim();
  if (multiarch) dirs.push(join("/usr/include", multiarch));
  if (!dirs.some((d) => existsSync(join(d, "cblas.h")))) notBuilt("no OpenBLAS headers (cblas.h) found");
}

// node-gyp: the one npm or pnpm put on PATH for install scripts, else the one bundled with npm.
let gyp = process.env.npm_config_node_gyp;
let gypArgs = [];
if (!gyp && onPath("node-gyp")) gyp = "node-gyp";
if (!gyp) {
  try {
    const npmDir = dirname(dirname(process.execPath));
    gypArgs = [
      createRequire(join(npmDir, "lib", "node_modules", "npm", "package.json")).resolve(
        "node-gyp/bin/node-gyp.js",
      ),
    ];
    gyp = process.execPath;
  } catch {
    notBuilt("node-gyp was not found (it ships with npm and pnpm)");
  }
}

// Offline: point node-gyp at the headers installed beside this Node (…/include/node) instead of
// letting it download them; npm's `nodedir` setting wins when present.
const args = [...gypArgs, "rebuild"];
const prefix = dirname(dirname(process.execPath));
const nodedir =
  process.env.npm_config_nodedir ?? (existsSync(join(prefix, "include", "node", "node_api.h")) ? prefix : "");
if (nodedir) args.push(`--nodedir=${nodedir}`);

const run = spawnSync(gyp, args, { cwd: root, encoding: "utf8", shell: process.platform === "win32" });
mkdirSync(dirname(log), { recursive: true });
writeFileSync(log, `${gyp} ${args.join(" ")}\n${run.stdout ?? ""}${run.stderr ?? ""}${run.error ?? ""}`);
if (run.status !== 0 || !existsSync(addon)) notBuilt(`node-gyp failed (log: ${log})`);
console.log(`[scm] native backend built: ${addon}`);
