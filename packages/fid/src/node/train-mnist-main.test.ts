import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadMnist } from "@scm/data/node";
import { afterAll, describe, expect, it } from "vitest";
import { captureCli } from "../testing/capture-cli.js";
import { asShippedPixels, TRAIN_MNIST_HELP, trainMnistMain } from "./train-mnist-main.js";

const run = (...argv: string[]) => captureCli(trainMnistMain, argv);

const dir = mkdtempSync(join(tmpdir(), "scm-fid-train-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("trainMnistMain", () => {
  it("prints its help listing every flag and exits 0", async () => {
    const { code, stdout } = await run("--help");
    expect(code).toBe(0);
    expect(stdout).toBe(TRAIN_MNIST_HELP);
    for (const flag of ["--epochs", "--seed", "--backend", "--out", "--config", "--help"])
      expect(stdout).toContain(flag);
  });

  it("fails with exit 2, one sentence naming the input, and no weights file for bad usage", async () => {
    const out = join(dir, "w.safetensors");
    const cases: [string[], string][] = [
      [["--epoch", "3"], "Unknown flag --epoch; see --help for the valid ones."],
      [["--epochs", "three"], '--epochs is "three"; expected a number.'],
      [["--epochs", "0"], "epochs (--epochs) from the command line is 0; expected an integer ≥ 1."],
      [["--seed", "1.5"], "seed (--seed) from the command line is 1.5; expected an integer ≥ 0."],
      [["--out"], "--out has no value; expected --out VALUE."],
      [
        ["--out", join(dir, "no-such-folder", "w.safetensors")],
        `--out ${join(dir, "no-such-folder", "w.safetensors")} is in a folder that does not exist; expected an existing folder.`,
      ],
      [["digits.npy"], 'train-mnist-features takes no inputs; got "digits.npy".'],
    ];
    for (const [argv, message] of cases) {
      const result = await run(...argv, ...(argv.includes("--out") ? [] : ["--out", out]));
      expect({ argv, ...result }).toEqual({
        argv,
        code: 2,
        stdout: "",
        stderr: `train-mnist-features: ${message}\n`,
      });
    }
    expect(existsSync(out)).toBe(false);
  });
});

describe("asShippedPixels", () => {
  it("gives the exact float32 inputs the shipped weights were trained and scored on", async () => {
    // FNV-1a of the float32 bytes of @scm/fid's former loader (2·v − 1 of the package's stored v),
    // recorded before @scm/data took over; equal bytes in, equal weights out (a wasm rebuild matched)
    const fnv1a = (x: Float32Array) => {
      const bytes = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
      let h = 0x811c9dc5;
      for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
      return h;
    };
    const train = asShippedPixels(await loadMnist({ part: "train", split: "fid" }));
    const held = asShippedPixels(await loadMnist({ part: "heldout", split: "fid" }));
    expect(fnv1a(train.x)).toBe(0xbea3b6af);
    expect(fnv1a(held.x)).toBe(0xa3e2465f);
  });
});
