import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "./errors.js";
import { formatHelp } from "./help.js";
import { flagOf, type OptionTable } from "./options.js";
import { parseFlags } from "./parse.js";
import { commandLineLayers, configFileLayer, resolveConfig } from "./resolve.js";
import { type CliMain, runCli } from "./run-main.js";

const table = {
  batchSize: { type: "number", integer: true, min: 1, default: 32, doc: "images per step" },
  lr: { type: "number", min: 0, default: 1e-3, doc: "learning rate" },
  mode: { type: "string", choices: ["diffusion", "sct", "scd"], default: "sct", doc: "what to train" },
  teacher: { type: "string", doc: "teacher run directory" },
  ema: { type: "boolean", default: true, doc: "keep an EMA of the weights" },
} as const satisfies OptionTable;

describe("flagOf", () => {
  it("turns camelCase fields into kebab-case flags", () => {
    expect(flagOf("batchSize")).toBe("--batch-size");
    expect(flagOf("tMidValue")).toBe("--t-mid-value");
    expect(flagOf("lr")).toBe("--lr");
  });
});

describe("resolveConfig", () => {
  it("layers defaults < preset < file < flags", () => {
    const config = resolveConfig(table, [
      { source: "preset mnist", values: { batchSize: 64, lr: 2e-4 } },
      { source: "c.json", values: { lr: 1e-4, mode: "scd" } },
      { source: "the command line", values: { mode: "diffusion" } },
    ]);
    expect(config).toEqual({ batchSize: 64, lr: 1e-4, mode: "diffusion", ema: true });
    expect(config.teacher).toBeUndefined();
  });

  it("names the field, its flag, the source and what was expected for a bad value", () => {
    expect(() => resolveConfig(table, [{ source: "c.json", values: { batchSize: 2.5 } }])).toThrow(
      new UsageError("batchSize (--batch-size) from c.json is 2.5; expected an integer ≥ 1."),
    );
    expect(() => resolveConfig(table, [{ source: "c.json", values: { mode: "gan" } }])).toThrow(
      /mode \(--mode\) from c.json is "gan"; expected one of diffusion, sct, scd\./,
    );
  });

  it("rejects an unknown key naming it and its source", () => {
    expect(() => resolveConfig(table, [{ source: "c.json", values: { batchsize: 3 } }])).toThrow(
      'c.json sets "batchsize", which is not a setting; see --help for the valid ones.',
    );
  });
});

describe("configFileLayer", () => {
  it("accepts one JSON object and rejects anything else naming the file", () => {
    expect(configFileLayer("a.json", '{"lr": 0.5}').values).toEqual({ lr: 0.5 });
    expect(() => configFileLayer("a.json", "[1]")).toThrow(/a.json holds an array; expected a JSON object/);
    expect(() => configFileLayer("a.json", "{lr:")).toThrow(/a.json is not valid JSON/);
  });
});

describe("parseFlags", () => {
  it("types numbers and booleans and keeps positionals", () => {
    const p = parseFlags(table, [
      "--batch-size",
      "8",
      "--no-ema",
      "--mode=scd",
      "extra",
      "--config",
      "x.json",
    ]);
    expect(p.values).toEqual({ batchSize: 8, ema: false, mode: "scd" });
    expect(p.positionals).toEqual(["extra"]);
    expect(p.config).toBe("x.json");
    expect(p.help).toBe(false);
  });

  it("rejects unknown flags and non-numbers", () => {
    expect(() => parseFlags(table, ["--batchsize", "8"])).toThrow(
      new UsageError("Unknown flag --batchsize; see --help for the valid ones."),
    );
    expect(() => parseFlags(table, ["--lr", "fast"])).toThrow('--lr is "fast"; expected a number.');
  });

  it("reads a negative number as the value of a number flag, so the table's check names it", () => {
    expect(parseFlags(table, ["--batch-size", "-5", "--lr", "-.5"]).values).toEqual({
      batchSize: -5,
      lr: -0.5,
    });
    expect(() =>
      resolveConfig(table, [
        { source: "the command line", values: parseFlags(table, ["--batch-size", "-5"]).values },
      ]),
    ).toThrow("batchSize (--batch-size) from the command line is -5; expected an integer ≥ 1.");
    // a string flag still refuses a value that looks like a flag
    expect(() => parseFlags(table, ["--teacher", "-x"])).toThrow(UsageError);
  });
});

describe("formatHelp", () => {
  it("lists every flag of the table with its default", () => {
    const help = formatHelp("usage: x [flags]", table);
    for (const key of Object.keys(table)) expect(help).toContain(flagOf(key));
    expect(help).toContain("--no-ema");
    expect(help).toContain("(default 32)");
    expect(help).toContain("--config FILE");
  });
});

describe("parseFlags with a repeatable option", () => {
  const files = {
    saveStats: { type: "string", multiple: true, doc: "where to save" },
    json: { type: "boolean", default: false, doc: "print JSON" },
  } as const satisfies OptionTable;

  it("collects every occurrence in order, and resolveConfig checks each", () => {
    const p = parseFlags(files, ["--save-stats", "a.npz", "x", "--save-stats", "b.npz"]);
    expect(p.values).toEqual({ saveStats: ["a.npz", "b.npz"] });
    const config = resolveConfig(files, [{ source: "the command line", values: p.values }]);
    expect(config.saveStats).toEqual(["a.npz", "b.npz"]);
    expect(() => resolveConfig(files, [{ source: "c.json", values: { saveStats: "a.npz" } }])).toThrow(
      new UsageError('saveStats (--save-stats) from c.json is "a.npz"; expected a list of strings.'),
    );
    expect(formatHelp("usage: x", files)).toContain("where to save (repeatable)");
  });

  it("names a flag given without its value, or a switch given one", () => {
    expect(() => parseFlags(files, ["x", "--save-stats"])).toThrow(
      new UsageError("--save-stats has no value; expected --save-stats VALUE."),
    );
    expect(() => parseFlags(files, ["--json=yes"])).toThrow(
      new UsageError("--json was given a value; expected --json alone (it is on/off)."),
    );
  });
});

describe("runCli", () => {
  const run = async (main: CliMain) => {
    let stderr = "";
    const code = await runCli("my-cli", main, ["a"], (t) => {
      stderr += t;
    });
    return { code, stderr };
  };

  it("resolves to main's code, 0 when it returns nothing", async () => {
    expect(await run(async (argv) => argv.length + 2)).toEqual({ code: 3, stderr: "" });
    expect(await run(async () => undefined)).toEqual({ code: 0, stderr: "" });
  });

  it("prints a thrown error as one line: exit 2 for a UsageError, 1 for anything else", async () => {
    const usage = await run(async () => {
      throw new UsageError("--n is 0; expected an integer ≥ 1.");
    });
    expect(usage).toEqual({ code: 2, stderr: "my-cli: --n is 0; expected an integer ≥ 1.\n" });
    const failure = await run(async () => {
      throw new Error("disk full.");
    });
    expect(failure).toEqual({ code: 1, stderr: "my-cli: disk full.\n" });
  });
});

describe("commandLineLayers", () => {
  it("gives the --config file's layer, then the flags over the extra values", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scm-cli-"));
    const file = join(dir, "c.json");
    writeFileSync(file, '{"lr": 0.5, "mode": "scd"}');
    const flags = parseFlags(table, ["--config", file, "--mode", "diffusion"]);
    const layers = await commandLineLayers(flags, { teacher: "runs/t", mode: "sct" });
    expect(layers).toEqual([
      { source: file, values: { lr: 0.5, mode: "scd" } },
      { source: "the command line", values: { teacher: "runs/t", mode: "diffusion" } },
    ]);
    // flags beat the file, the file beats defaults
    expect(resolveConfig(table, layers)).toEqual({
      batchSize: 32,
      lr: 0.5,
      mode: "diffusion",
      ema: true,
      teacher: "runs/t",
    });
    rmSync(dir, { recursive: true, force: true });
    await expect(commandLineLayers(flags)).rejects.toThrow(
      new UsageError(`Cannot read the config file ${file} (ENOENT).`),
    );
  });
});
