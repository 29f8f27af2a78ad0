// Hostile and damaged PyTorch checkpoints: each is refused with a TorchPickleError (or a LimitError)
// naming the file, quickly, and nothing in a pickle is ever imported or called.
import { LimitError, writeZip } from "@scm/io";
import { describe, expect, it } from "vitest";
import { TorchPickleError } from "./errors.js";
import { unpickle } from "./pickle.js";
import { readTorchStateDict, TORCH_GLOBALS } from "./torch-checkpoint.js";

const enc = new TextEncoder();
const u32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
const str = (s: string) => {
  const b = enc.encode(s);
  return [0x58, ...u32(b.length), ...b]; // BINUNICODE
};
const int = (n: number) => [0x4a, ...u32(n >>> 0)]; // BININT (signed)
const glob = (module: string, name: string) => [0x63, ...enc.encode(`${module}\n${name}\n`)]; // GLOBAL
const tuple = (...items: number[][]) => [0x28, ...items.flat(), 0x74]; // MARK ... TUPLE
const MARK = 0x28;
const REDUCE = 0x52;
const STOP = 0x2e;
const PROTO2 = [0x80, 0x02];

/** A zip checkpoint whose data.pkl is `{name: tensor}` for each of `names`, built from the given argument bytes, with a 16-byte float storage "0". */
function checkpoint(
  tensorArgs: { storage?: number[]; offset?: number[]; size?: number[]; stride?: number[] },
  names = ["w"],
) {
  const storage = tensorArgs.storage ?? [
    ...tuple(str("storage"), glob("torch", "FloatStorage"), str("0"), str("cpu"), int(4)),
    0x51,
  ];
  const pkl = [
    ...PROTO2,
    0x7d, // EMPTY_DICT
    MARK,
    ...names.flatMap((name) => [
      ...str(name),
      ...glob("torch._utils", "_rebuild_tensor_v2"),
      ...tuple(
        storage,
        tensorArgs.offset ?? int(0),
        tensorArgs.size ?? tuple(int(4)),
        tensorArgs.stride ?? tuple(int(1)),
        [0x89], // False
        [...glob("collections", "OrderedDict"), 0x29, REDUCE],
      ),
      REDUCE,
    ]),
    0x75, // SETITEMS
    STOP,
  ];
  return writeZip({
    "archive/data.pkl": Uint8Array.from(pkl),
    "archive/data/0": new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer),
  });
}

describe("hostile pickles", () => {
  it("reads the hand-built checkpoint itself (the cases below differ from it in one field)", () => {
    const w = readTorchStateDict(checkpoint({}), "ok.pth").get("w")!;
    expect(Array.from(w.data as Float32Array)).toEqual([1, 2, 3, 4]);
  });

  it("refuses a pickle naming os.system with a REDUCE, before anything is called", () => {
    const pkl = Uint8Array.from([
      ...PROTO2,
      ...glob("os", "system"),
      ...tuple(str("echo pwned")),
      REDUCE,
      STOP,
    ]);
    expect(() => unpickle(pkl, 0, { globals: TORCH_GLOBALS })).toThrow(TorchPickleError);
    expect(() => unpickle(pkl, 0, { globals: TORCH_GLOBALS })).toThrow(
      /global "os\.system" at byte 2, which is not allowed/,
    );
    const zip = writeZip({ "archive/data.pkl": pkl });
    expect(() => readTorchStateDict(zip, "evil.pth")).toThrow(
      /^evil\.pth: The pickle names the global "os\.system"/,
    );
  });

  it("refuses builtins.eval named by STACK_GLOBAL as well as GLOBAL", () => {
    const stackGlobal = [
      ...PROTO2,
      ...str("builtins"),
      ...str("eval"),
      0x93,
      ...tuple(str("1+1")),
      REDUCE,
      STOP,
    ];
    expect(() => unpickle(Uint8Array.from(stackGlobal), 0, { globals: TORCH_GLOBALS })).toThrow(
      /global "builtins\.eval"/,
    );
    const plain = [...PROTO2, ...glob("builtins", "eval"), ...tuple(str("1+1")), REDUCE, STOP];
    expect(() => unpickle(Uint8Array.from(plain))).toThrow(/loads no globals here/);
  });

  it("refuses a BINSTRING of negative length instead of looping", () => {
    const pkl = Uint8Array.from([...PROTO2, 0x54, 0xf0, 0xff, 0xff, 0xff, STOP]); // 7 bytes
    expect(() => unpickle(pkl)).toThrow(
      /length of -16 for the data at byte 7; expected a non-negative length/,
    );
  });

  it("APPENDS of 200,000 items does not overflow the stack", () => {
    const items = new Uint8Array(200_000 * 2);
    for (let i = 0; i < 200_000; i++) items.set([0x4b, i & 255], i * 2); // BININT1
    const pkl = new Uint8Array([...PROTO2, 0x5d, MARK, ...items, 0x65, STOP]);
    const { value } = unpickle(pkl);
    expect((value as number[]).length).toBe(200_000);
  });

  it("refuses a LONG4 of a megabyte instead of building it quadratically", () => {
    const n = 1 << 20;
    const pkl = new Uint8Array(2 + 5 + n + 1);
    pkl.set([...PROTO2, 0x8b, ...u32(n)]);
    pkl[pkl.length - 1] = STOP;
    expect(() => unpickle(pkl)).toThrow(/integer of 1048576 bytes at byte 2; expected at most 64/);
  });

  it("refuses invalid UTF-8 in a string as a TorchPickleError", () => {
    const pkl = Uint8Array.from([...PROTO2, 0x8c, 2, 0xc3, 0x28, STOP]);
    expect(() => unpickle(pkl)).toThrow(/string at byte 2 that is not valid UTF-8/);
  });

  it("refuses size (1e9,) with stride (0,) over a 16-byte storage", () => {
    const bytes = checkpoint({ size: tuple(int(1e9)), stride: tuple(int(0)) });
    expect(() => readTorchStateDict(bytes, "big.pth")).toThrow(LimitError);
    expect(() => readTorchStateDict(bytes, "big.pth")).toThrow(
      /^big\.pth: a tensor's element count is 1000000000; expected at most 268435456 \(the maxElements read limit/,
    );
    // within the limit, a stride-0 view reads only element 0 and is fine
    const small = readTorchStateDict(checkpoint({ size: tuple(int(3)), stride: tuple(int(0)) }), "ok.pth");
    expect(Array.from(small.get("w")!.data as Float32Array)).toEqual([1, 1, 1]);
  });

  it("bounds the state_dict's total elements, not only each tensor's", () => {
    const bytes = checkpoint({ size: tuple(int(3)), stride: tuple(int(0)) }, ["a", "b"]);
    expect(() => readTorchStateDict(bytes, "sum.pth", { maxElements: 5 })).toThrow(
      /^sum\.pth: the state_dict's total element count is 6; expected at most 5/,
    );
    expect([...readTorchStateDict(bytes, "sum.pth", { maxElements: 6 }).keys()]).toEqual(["a", "b"]);
  });

  it("refuses a negative storage offset and a view past the storage's end", () => {
    expect(() => readTorchStateDict(checkpoint({ offset: int(-1) }), "neg.pth")).toThrow(
      "neg.pth: a tensor's storage offset is -1; expected a non-negative integer.",
    );
    expect(() => readTorchStateDict(checkpoint({ offset: int(1) }), "past.pth")).toThrow(
      /past\.pth: a tensor's size \[4\], stride \[1\] and offset 1 reach element 4; its storage holds 4/,
    );
  });

  it("refuses a size given as an int, a null storage and a persistent id that is not a tuple", () => {
    expect(() => readTorchStateDict(checkpoint({ size: int(4) }), "a.pth")).toThrow(
      "a.pth: a tensor's size is 4; expected a tuple of non-negative integers.",
    );
    expect(() => readTorchStateDict(checkpoint({ storage: [0x4e] }), "b.pth")).toThrow(
      "b.pth: a tensor's storage is null; expected a tensor storage.",
    );
    expect(() => readTorchStateDict(checkpoint({ storage: [...int(7), 0x51] }), "c.pth")).toThrow(
      /c\.pth has a persistent id 7; expected a tensor storage/,
    );
  });

  it("names a huge-integer persistent id without serialising it (no BigInt TypeError)", () => {
    const long = [0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1]; // LONG1 of 2^64
    const bytes = checkpoint({ storage: [...tuple(long), 0x51] });
    expect(() => readTorchStateDict(bytes, "d.pth")).toThrow(
      /d\.pth has a persistent id \[18446744073709551616\]/,
    );
  });
});
