import { describe, expect, it } from "vitest";
import { ConfigError, NetworkInputError } from "./errors.js";
import { fanIn, ParamScope, trainable, zeros } from "./layer.js";
import { conv, linear } from "./layers.js";
import { disposeParams, initParams } from "./params.js";

describe("ParamScope", () => {
  it("names a layer's parameters under its dotted prefix, in declaration order", () => {
    const scope = new ParamScope();
    const block = scope.child("enc.8x8_block0");
    conv(block.child("conv0"), 3, 4, 3);
    linear(block.child("affine"), 8, 2 * 4, { bias: false });
    expect(Object.keys(scope.spec)).toEqual([
      "enc.8x8_block0.conv0.weight",
      "enc.8x8_block0.conv0.bias",
      "enc.8x8_block0.affine.weight",
    ]);
    // LeCun normal over the conv's fan-in k·k·Cin = 27; biases start at 0.
    expect(scope.spec["enc.8x8_block0.conv0.weight"]).toEqual(trainable([3, 3, 3, 4], fanIn(27)));
    expect(scope.spec["enc.8x8_block0.conv0.bias"]).toEqual(trainable([4], zeros));
  });

  it("refuses a name declared twice", () => {
    const scope = new ParamScope();
    linear(scope.child("fc"), 2, 3);
    expect(() => linear(scope.child("fc"), 2, 3)).toThrow(ConfigError);
    expect(() => linear(scope.child("fc"), 2, 3)).toThrow(
      /^Config field parameter fc\.weight is declared twice; expected one declaration per name\.$/,
    );
  });

  it("reads a declared parameter from the params it is given, naming one that is missing", () => {
    const scope = new ParamScope();
    const weight = scope.declare("w", trainable([2], zeros));
    const params = initParams(scope.spec, 0);
    expect(weight(params)).toBe(params["w"]);
    expect(() => weight({})).toThrow(NetworkInputError);
    disposeParams(params);
  });
});
