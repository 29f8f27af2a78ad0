import { describe, expect, it } from "vitest";
import { resolveDiTConfig } from "./dit.js";
import { ConfigError } from "./errors.js";
import { resolveMlpConfig } from "./mlp.js";
import { resolveNetworkConfig } from "./network.js";
import { presets } from "./presets.js";
import { resolveUNetConfig } from "./unet.js";

const tiny = presets.unet.tiny;

describe("resolveNetworkConfig", () => {
  it("accepts every preset after a JSON round trip, unchanged", () => {
    for (const table of Object.values(presets)) {
      for (const c of Object.values(table))
        expect(resolveNetworkConfig(JSON.parse(JSON.stringify(c)))).toEqual(c);
    }
  });

  it("names a field nested a million deep (a hostile model file's config) without serialising it", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    const bad = { ...tiny, channelMult: deep };
    expect(() => resolveNetworkConfig(bad)).toThrow(ConfigError);
    expect(() => resolveNetworkConfig(bad)).toThrow(/channelMult.*a list of 1 items/);
  });

  it("fills the defaults: unconditional, positional time, double normalisation, no dropout", () => {
    const c = resolveUNetConfig({
      resolution: 8,
      channels: 1,
      modelChannels: 8,
      channelMult: [1],
      numBlocks: 1,
      attnResolutions: [],
    });
    expect(c).toMatchObject({
      kind: "unet",
      attentionHeads: 1,
      embMult: 4,
      numClasses: 0,
      guidanceEmbedding: false,
    });
    expect(c).toMatchObject({
      timeEmbedding: "positional",
      fourierScale: 16,
      modulation: "double",
      dropout: 0,
    });
    expect(resolveMlpConfig({ dim: 3, hiddenSize: 8, depth: 1 }).kind).toBe("mlp");
  });

  it("names the bad field, its value and what was expected, in one sentence", () => {
    const cases: Array<[unknown, string]> = [
      [{ ...tiny, channelMult: [1, 0] }, "Config field channelMult[1] is 0; expected an integer ≥ 1."],
      [
        { ...tiny, resolution: 6, channelMult: [1, 2, 2] },
        "Config field resolution is 6; expected a multiple of 4 for 3 levels.",
      ],
      [
        { ...tiny, attnResolutions: [5] },
        "Config field attnResolutions[0] is 5; expected one of the level resolutions 8, 4.",
      ],
      [
        { ...tiny, attentionHeads: 3 },
        "Config field attentionHeads is 3; expected a divisor of enc.4x4_block0's width 32.",
      ],
      [{ ...tiny, dropout: 1 }, "Config field dropout is 1; expected a rate in [0, 1)."],
      [{ ...tiny, modulation: "ada" }, 'Config field modulation is "ada"; expected "double" or "adagn".'],
      [
        { ...tiny, chanels: 3 },
        "Config field chanels is unknown; expected one of kind, resolution, channels,",
      ],
      [{ ...tiny, kind: "unet2" }, 'Config field kind is "unet2"; expected "unet" or "dit" or "mlp".'],
      [
        { ...presets.dit.tiny, heads: 3 },
        "Config field hiddenSize is 32; expected a multiple of 4 and of heads (3).",
      ],
      [{ ...presets.mlp.toy2d, hiddenSize: 7 }, "Config field hiddenSize is 7; expected an even integer."],
      [[1, 2], "Config field config is [1,2]; expected an object."],
    ];
    for (const [input, message] of cases) {
      expect(() => resolveNetworkConfig(input), message).toThrow(ConfigError);
      expect(() => resolveNetworkConfig(input)).toThrow(message);
    }
    expect(() => resolveDiTConfig({ ...presets.dit.tiny, kind: "unet" })).toThrow(
      'Config field kind is "unet"; expected "dit".',
    );
  });
});
