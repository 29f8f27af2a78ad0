// Valid PyTorch checkpoints generated in code, for the fuzz suite: a protocol-2 pickle of a
// state_dict written opcode by opcode as torch.save writes it, in the zip and the legacy layouts.
import { writeZip } from "@scm/io";

const enc = new TextEncoder();
const u32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
const str = (s: string) => {
  const b = enc.encode(s);
  return b.length < 256 ? [0x8c, b.length, ...b] : [0x58, ...u32(b.length), ...b]; // SHORT_BINUNICODE / BINUNICODE
};
const int = (n: number) => (n >= 0 && n < 256 ? [0x4b, n] : [0x4a, ...u32(n >>> 0)]); // BININT1 / BININT
const glob = (module: string, name: string) => [0x63, ...enc.encode(`${module}\n${name}\n`)]; // GLOBAL
const tuple = (...items: number[][]) => [0x28, ...items.flat(), 0x74]; // MARK ... TUPLE

/** One tensor of a generated state_dict: a view of storage `key`. */
interface TensorSpec {
  name: string;
  key: string;
  storageType: string;
  numel: number;
  offset: number;
  size: number[];
  stride: number[];
}

/** The state_dict pickle; `legacy` adds the sixth (view) element legacy persistent ids carry. */
function statePickle(tensors: TensorSpec[], legacy: boolean): Uint8Array {
  const items = tensors.flatMap((t) => [
    ...str(t.name),
    ...glob("torch._utils", "_rebuild_tensor_v2"),
    ...tuple(
      [
        ...tuple(
          str("storage"),
          glob("torch", t.storageType),
          str(t.key),
          str("cpu"),
          int(t.numel),
          ...(legacy ? [[0x4e]] : []),
        ),
        0x51, // BINPERSID
      ],
      int(t.offset),
      tuple(...t.size.map(int)),
      tuple(...t.stride.map(int)),
      [0x89], // requires_grad False
      [...glob("collections", "OrderedDict"), 0x29, 0x52], // backward_hooks OrderedDict()
    ),
    0x52, // REDUCE
  ]);
  return Uint8Array.from([
    0x80,
    0x02,
    ...glob("collections", "OrderedDict"),
    0x29,
    0x52,
    0x28,
    ...items,
    0x75, // SETITEMS
    0x2e,
  ]);
}

const TENSORS: TensorSpec[] = [
  {
    name: "conv.weight",
    key: "0",
    storageType: "FloatStorage",
    numel: 8,
    offset: 0,
    size: [2, 1, 2, 2],
    stride: [4, 4, 2, 1],
  },
  {
    name: "bn.running_mean",
    key: "0",
    storageType: "FloatStorage",
    numel: 8,
    offset: 6,
    size: [2],
    stride: [1],
  },
  {
    name: "fc.weight.T",
    key: "1",
    storageType: "DoubleStorage",
    numel: 4,
    offset: 0,
    size: [2, 2],
    stride: [1, 2],
  },
  { name: "steps", key: "2", storageType: "LongStorage", numel: 1, offset: 0, size: [], stride: [] },
];

const STORAGES: Record<string, Uint8Array> = {
  "0": new Uint8Array(new Float32Array([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]).buffer),
  "1": new Uint8Array(new Float64Array([1, 2, 3, 4]).buffer),
  "2": new Uint8Array(new BigInt64Array([12345n]).buffer),
};

/** The data.pkl of the generated zip checkpoint (what the pickle-level fuzz target mutates). */
export function statePickleCorpus(): Uint8Array[] {
  return [statePickle(TENSORS, false), statePickle(TENSORS.slice(1, 2), false)];
}

/** A zip checkpoint (torch ≥ 1.6) around a data.pkl, with the generated storages. */
export function zipCheckpoint(pickle: Uint8Array): Uint8Array {
  const entries: Record<string, Uint8Array> = {
    "archive/data.pkl": pickle,
    "archive/byteorder": enc.encode("little"),
  };
  for (const [key, bytes] of Object.entries(STORAGES)) entries[`archive/data/${key}`] = bytes;
  return writeZip(entries);
}

/** A legacy checkpoint (torch < 1.6): magic, protocol, sys_info, the object, the storage keys, then the storages. */
export function legacyCheckpoint(): Uint8Array {
  const magic = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e];
  const protocol = [0x80, 0x02, 0x4d, 0xe9, 0x03, 0x2e]; // 1001
  const sysInfo = [
    0x80,
    0x02,
    0x7d,
    0x28,
    ...str("protocol_version"),
    ...int(1001),
    ...str("little_endian"),
    0x88,
    0x75,
    0x2e,
  ];
  const keys = [0x80, 0x02, 0x5d, 0x28, ...Object.keys(STORAGES).flatMap(str), 0x65, 0x2e];
  const parts: number[][] = [magic, protocol, sysInfo, [...statePickle(TENSORS, true)], keys];
  for (const [key, bytes] of Object.entries(STORAGES)) {
    const numel = TENSORS.find((t) => t.key === key)?.numel ?? 0;
    const count = new Uint8Array(new BigInt64Array([BigInt(numel)]).buffer);
    parts.push([...count, ...bytes]);
  }
  return Uint8Array.from(parts.flat());
}

/** Valid checkpoints in both layouts. */
export function checkpointCorpus(): Uint8Array[] {
  return [...statePickleCorpus().map(zipCheckpoint), legacyCheckpoint()];
}
