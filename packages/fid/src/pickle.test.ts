import { describe, expect, it } from "vitest";
import { TorchPickleError } from "./errors.js";
import { type PyObject, unpickle } from "./pickle.js";

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => Number.parseInt(b, 16)));

describe("unpickle", () => {
  it("reads CPython's protocol-2 encoding of ints, longs, floats, None, bools, str, tuples, lists, dicts", () => {
    // pickle.dumps({'a': [1, -2, 300, 70000, -(2**40), 2**70, 1.5, None, True, False],
    //               'b': ('x', b'\x00\x01', ()), 'c': 'é'}, protocol=2), CPython 3
    const bytes = hex(
      "80027d71002858010000006171015d7102284b014afeffffff4d2c014a701101008a060000000000ff8a09000000000000000040473ff80000000000004e88896558010000006271035801000000787104635f636f646563730a656e636f64650a710558020000000001710658060000006c6174696e3171078671085271092987710a580100000063710b5802000000c3a9710c752e",
    );
    const { value, end } = unpickle(bytes, 0, { globals: new Set(["_codecs.encode"]) });
    expect(end).toBe(bytes.length);
    const dict = value as Map<string, unknown>;
    expect(dict.get("a")).toEqual([1, -2, 300, 70000, -(2 ** 40), 2n ** 70n, 1.5, null, true, false]);
    expect(dict.get("c")).toBe("é");
    const [x, bytesObj, empty] = dict.get("b") as [string, PyObject, unknown[]];
    expect(x).toBe("x");
    expect(empty).toEqual([]);
    // protocol 2 pickles bytes as _codecs.encode('\x00\x01', 'latin1'): kept as an unreduced object
    expect(bytesObj.type).toEqual({ kind: "global", module: "_codecs", name: "encode" });
    expect(bytesObj.args).toEqual(["\u0000\u0001", "latin1"]);
  });

  it("shares memoized objects (BINGET returns the same list)", () => {
    // pickle.dumps([[1, 2]] * 2, protocol=2)
    const { value } = unpickle(hex("80025d7100285d7101284b014b02656801652e"));
    const [a, b] = value as unknown[][];
    expect(a).toEqual([1, 2]);
    expect(a).toBe(b);
  });

  it("reads protocol 4 frames and short strings", () => {
    // pickle.dumps({'k': 1.5}, protocol=4)
    const { value } = unpickle(hex("80049511000000000000007d948c016b94473ff8000000000000732e"));
    expect(value).toEqual(new Map([["k", 1.5]]));
  });

  it("names an unsupported opcode and its position", () => {
    // protocol-0 INT opcode 'I' (0x49) is not supported
    expect(() => unpickle(hex("8002493132330a2e"))).toThrow(TorchPickleError);
    expect(() => unpickle(hex("8002493132330a2e"))).toThrow("opcode 0x49 at byte 2");
  });
});
