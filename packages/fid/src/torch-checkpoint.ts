// PyTorch checkpoints (`torch.save` of a state_dict) read without PyTorch: both on-disk formats.
// - zip (torch ≥ 1.6): `<archive>/data.pkl` holds the pickle; each tensor storage is the raw
//   little-endian entry `<archive>/data/<key>`, named by the persistent id
//   ('storage', torch.FloatStorage, key, location, numel).
// - legacy (torch < 1.6, e.g. pytorch-fid's pt_inception-2015-12-05-6726825d.pth): five pickles in a
//   row (magic number 0x1950a86a20f9469cfc6c, protocol 1001, sys_info, the object, the sorted
//   storage keys), then per key an int64 element count and the raw storage bytes.
// Tensors are rebuilt as `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)` does.
import {
  bfloat16ToFloat32,
  type DType,
  describe,
  FormatError,
  halfToFloat32,
  LimitError,
  type NdArray,
  type ReadLimits,
  readLimits,
  readZip,
} from "@scm/io";
import ndarray from "ndarray";
import { TorchPickleError } from "./errors.js";
import { isGlobal, type PyGlobal, unpickle } from "./pickle.js";

type StorageDtype = Exclude<DType, "uint64" | "uint32" | "uint16">; // the dtypes torch storages have

const STORAGE_TYPES: Record<string, { dtype: StorageDtype; size: number }> = {
  FloatStorage: { dtype: "float32", size: 4 },
  DoubleStorage: { dtype: "float64", size: 8 },
  HalfStorage: { dtype: "float16", size: 2 },
  BFloat16Storage: { dtype: "bfloat16", size: 2 },
  LongStorage: { dtype: "int64", size: 8 },
  IntStorage: { dtype: "int32", size: 4 },
  ShortStorage: { dtype: "int16", size: 2 },
  CharStorage: { dtype: "int8", size: 1 },
  ByteStorage: { dtype: "uint8", size: 1 },
  BoolStorage: { dtype: "bool", size: 1 },
};

/** The only globals a state_dict pickle may name (PyTorch's `weights_only` allow-list, narrowed to state_dicts). */
export const TORCH_GLOBALS: ReadonlySet<string> = new Set([
  "collections.OrderedDict",
  "torch._utils._rebuild_tensor",
  "torch._utils._rebuild_tensor_v2",
  "torch._utils._rebuild_parameter",
  "torch._utils._rebuild_parameter_with_state",
  ...Object.keys(STORAGE_TYPES).map((name) => `torch.${name}`),
]);

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;

interface Storage {
  readonly dtype: StorageDtype;
  readonly elementSize: number;
  readonly numel: number;
  bytes: Uint8Array | undefined; // filled after the legacy object pickle
  readonly root?: Storage; // a legacy view into another storage
  readonly rootOffset?: number; // in elements
}

interface TensorRef {
  readonly kind: "tensor";
  readonly storage: Storage;
  readonly offset: number;
  readonly shape: number[];
  readonly stride: number[];
}

/** Whether `bytes` look like a zip archive (PyTorch ≥ 1.6 checkpoints, `.npz`). */
export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
  );
}

/**
 * The tensors of a PyTorch state_dict checkpoint (`.pth`, zip or legacy format) by name. Floating
 * tensors come back as float32 (float64 stays float64), integers as their own typed arrays.
 */
export function readTorchStateDict(
  bytes: Uint8Array,
  source = "the checkpoint",
  limits: Partial<ReadLimits> = {},
): Map<string, NdArray> {
  const lim = readLimits(limits);
  try {
    return readStateDict(bytes, source, lim);
  } catch (e) {
    // every failure names the source: the unpickler's own messages do not know it
    if (e instanceof LimitError && !e.message.startsWith(source))
      throw new LimitError(e.format, e.what, e.requested, e.limit, e.allowed, { source, cause: e });
    if (e instanceof LimitError) throw e;
    if (e instanceof FormatError) throw new TorchPickleError(`${source}: ${e.message}`, { cause: e });
    if (e instanceof TorchPickleError && !e.message.startsWith(source))
      throw new TorchPickleError(`${source}: ${e.message}`, { cause: e });
    throw e;
  }
}

function readStateDict(bytes: Uint8Array, source: string, lim: ReadLimits): Map<string, NdArray> {
  const root = isZip(bytes)
    ? readZipCheckpoint(bytes, source, lim)
    : readLegacyCheckpoint(bytes, source, lim);
  const dict = root instanceof Map ? root : undefined;
  if (dict === undefined) {
    throw new TorchPickleError(
      `${source} does not hold a dict of tensors; expected a state_dict saved with torch.save.`,
    );
  }
  // every tensor is copied out of its storage: stride-0 views could make a small file ask for
  // gigabytes, so the total is bounded before anything is allocated
  const tensors = [...dict].filter(
    (e): e is [string, TensorRef] => typeof e[0] === "string" && isTensor(e[1]),
  );
  const total = tensors.reduce((n, [, t]) => n + t.shape.reduce((a, b) => a * b, 1), 0);
  if (total > lim.maxElements)
    throw new LimitError(
      "array",
      `${source}: the state_dict's total element count`,
      total,
      "maxElements",
      lim.maxElements,
    );
  const out = new Map<string, NdArray>();
  for (const [key, value] of tensors) out.set(key, materialize(value, key, source));
  return out;
}

/** The persistent id tuple ('storage', type, key, location, numel[, view]) of a tensor storage, checked. */
function storagePid(
  pid: unknown,
  source: string,
): { type: unknown; key: string; numel: unknown; view: unknown } {
  if (!Array.isArray(pid) || pid.length < 5 || pid[0] !== "storage" || typeof pid[2] !== "string") {
    throw new TorchPickleError(
      `${source} has a persistent id ${describe(pid)}; expected a tensor storage ('storage', type, key, location, numel).`,
    );
  }
  return { type: pid[1], key: pid[2], numel: pid[4], view: pid[5] };
}

function readZipCheckpoint(bytes: Uint8Array, source: string, lim: ReadLimits): unknown {
  const entries = readZip(bytes, lim);
  const pklName = [...entries.keys()].find((k) => k === "data.pkl" || k.endsWith("/data.pkl"));
  if (pklName === undefined) {
    throw new TorchPickleError(`${source} is a zip without data.pkl; expected a PyTorch checkpoint.`);
  }
  const prefix = pklName.slice(0, pklName.length - "data.pkl".length);
  const order = entries.get(`${prefix}byteorder`);
  if (order !== undefined && new TextDecoder().decode(order).trim() !== "little") {
    throw new TorchPickleError(`${source} stores big-endian tensors; expected little-endian.`);
  }
  const storages = new Map<string, Storage>();
  const { value } = unpickle(entries.get(pklName)!, 0, {
    globals: TORCH_GLOBALS,
    reduce: (type, args) => rebuild(type, args, source, lim),
    persistentLoad(pid) {
      const { type, key, numel } = storagePid(pid, source);
      const cached = storages.get(key);
      if (cached !== undefined) return cached;
      const info = storageInfo(type, source);
      const data = entries.get(`${prefix}data/${key}`);
      if (data === undefined)
        throw new TorchPickleError(`${source} lacks the storage entry ${prefix}data/${key}.`);
      const count = Math.floor(data.length / info.size);
      if (
        numel !== undefined &&
        numel !== count &&
        !(typeof numel === "number" && Number.isSafeInteger(numel) && numel >= 0 && numel <= count)
      )
        throw new TorchPickleError(
          `${source}: storage ${describe(key)} says ${describe(numel)} elements; its entry holds ${count}.`,
        );
      const storage: Storage = { dtype: info.dtype, elementSize: info.size, numel: count, bytes: data };
      storages.set(key, storage);
      return storage;
    },
  });
  return value;
}

function readLegacyCheckpoint(bytes: Uint8Array, source: string, lim: ReadLimits): unknown {
  let pos = 0;
  const next = (hooks = {}) => {
    const r = unpickle(bytes, pos, hooks);
    pos = r.end;
    return r.value;
  };
  let magic: unknown;
  try {
    magic = next();
  } catch {
    throw new TorchPickleError(
      `${source} is neither a zip nor a legacy PyTorch pickle; expected a .pth checkpoint.`,
    );
  }
  if (magic !== LEGACY_MAGIC) {
    throw new TorchPickleError(
      `${source} starts with a pickle that is not PyTorch's magic number; expected a .pth checkpoint.`,
    );
  }
  const protocol = next();
  if (protocol !== LEGACY_PROTOCOL) {
    throw new TorchPickleError(
      `${source} has legacy protocol ${String(protocol)}; expected ${LEGACY_PROTOCOL}.`,
    );
  }
  const sysInfo = next();
  if (sysInfo instanceof Map && sysInfo.get("little_endian") === false) {
    throw new TorchPickleError(`${source} was saved on a big-endian machine; expected little-endian.`);
  }
  const storages = new Map<string, Storage>();
  const value = next({
    globals: TORCH_GLOBALS,
    reduce: (type: PyGlobal, args: readonly unknown[]) => rebuild(type, args, source, lim),
    persistentLoad(pid: unknown) {
      const { type, key, numel, view } = storagePid(pid, source);
      if (!isCount(numel))
        throw new TorchPickleError(
          `${source}: storage ${describe(key)} has ${describe(numel)} elements; expected a non-negative integer.`,
        );
      let root = storages.get(key);
      if (root === undefined) {
        const info = storageInfo(type, source);
        root = { dtype: info.dtype, elementSize: info.size, numel, bytes: undefined };
        storages.set(key, root);
      }
      if (Array.isArray(view)) {
        // (view_key, offset, view_size): a storage that is a slice of the root storage
        const [, offset, size] = view as unknown[];
        if (!isCount(offset) || !isCount(size) || offset + size > numel)
          throw new TorchPickleError(
            `${source}: storage view ${describe(view)} of ${describe(key)} is not (key, offset, size) inside its ${numel} elements.`,
          );
        return { ...root, numel: size, root, rootOffset: offset, bytes: undefined } satisfies Storage;
      }
      return root;
    },
  });
  const keys = next();
  if (!Array.isArray(keys))
    throw new TorchPickleError(`${source} has no list of storage keys after the object.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const key of keys) {
    const storage = storages.get(String(key));
    if (storage === undefined)
      throw new TorchPickleError(`${source} lists storage ${String(key)} that no tensor uses.`);
    if (pos + 8 > bytes.length)
      throw new TorchPickleError(`${source} is truncated before storage ${String(key)}.`);
    const count = Number(view.getBigInt64(pos, true));
    pos += 8;
    if (count !== storage.numel)
      throw new TorchPickleError(
        `${source}: storage ${describe(String(key))} holds ${count} elements; its tensors say ${storage.numel}.`,
      );
    const length = count * storage.elementSize;
    if (pos + length > bytes.length) {
      throw new TorchPickleError(`${source} is truncated inside storage ${String(key)} (${count} elements).`);
    }
    storage.bytes = bytes.subarray(pos, pos + length);
    pos += length;
  }
  return value;
}

function storageInfo(type: unknown, source: string): { dtype: StorageDtype; size: number } {
  const name = isGlobal(type) ? type.name : String(type);
  const info = STORAGE_TYPES[name];
  if (info === undefined)
    throw new TorchPickleError(`${source} has storage type ${name}, which this reader does not support.`);
  return info;
}

function isCount(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

function isStorage(x: unknown): x is Storage {
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as Storage).elementSize === "number" &&
    isCount((x as Storage).numel)
  );
}

// REDUCE hook: the few callables a state_dict pickle uses, each argument checked before any work.
function rebuild(type: PyGlobal, args: readonly unknown[], source: string, lim: ReadLimits): unknown {
  const name = `${type.module}.${type.name}`;
  switch (name) {
    case "collections.OrderedDict":
      return new Map();
    case "torch._utils._rebuild_tensor":
    case "torch._utils._rebuild_tensor_v2": {
      const [storage, offset, size, stride] = args;
      const bad = (what: string): never => {
        throw new TorchPickleError(`${source}: a tensor's ${what}.`);
      };
      if (!isStorage(storage)) bad(`storage is ${describe(storage)}; expected a tensor storage`);
      if (!isCount(offset)) bad(`storage offset is ${describe(offset)}; expected a non-negative integer`);
      if (Array.isArray(size) && size.length > lim.maxRank)
        throw new LimitError("array", `${source}: a tensor's rank`, size.length, "maxRank", lim.maxRank);
      if (!Array.isArray(size) || !size.every(isCount))
        bad(`size is ${describe(size)}; expected a tuple of non-negative integers`);
      const rank = (size as unknown[]).length;
      if (!Array.isArray(stride) || stride.length !== rank || !stride.every(isCount))
        bad(`stride is ${describe(stride)}; expected ${rank} non-negative integers like its size`);
      const st = storage as Storage;
      const shape = size as number[];
      const strides = stride as number[];
      const count = shape.reduce((a, b) => a * b, 1);
      if (count > lim.maxElements)
        throw new LimitError(
          "array",
          `${source}: a tensor's element count`,
          count,
          "maxElements",
          lim.maxElements,
        );
      if (count > 0) {
        // the last element it reads must lie inside the storage
        let last = offset as number;
        for (let r = 0; r < shape.length; r++) last += (shape[r]! - 1) * strides[r]!;
        if (last >= st.numel)
          bad(
            `size ${describe(shape)}, stride ${describe(strides)} and offset ${offset} reach element ${last}; its storage holds ${st.numel}`,
          );
      }
      return {
        kind: "tensor",
        storage: st,
        offset: offset as number,
        shape: [...shape],
        stride: [...strides],
      } satisfies TensorRef;
    }
    case "torch._utils._rebuild_parameter":
    case "torch._utils._rebuild_parameter_with_state":
      return args[0];
    default:
      return undefined;
  }
}

function isTensor(x: unknown): x is TensorRef {
  return typeof x === "object" && x !== null && (x as TensorRef).kind === "tensor";
}

// Reads `count` elements of the storage's dtype from an aligned copy of its bytes.
function storageValues(storage: Storage, name: string, source: string): ArrayLike<number> | BigInt64Array {
  const base = storage.root ?? storage;
  const bytes = base.bytes;
  if (bytes === undefined) throw new TorchPickleError(`${source}: the storage of ${name} has no data.`);
  const start = (storage.rootOffset ?? 0) * base.elementSize;
  const end = start + storage.numel * base.elementSize;
  if (end > bytes.length) {
    throw new TorchPickleError(
      `${source}: the storage of ${name} has ${bytes.length} bytes; expected at least ${end}.`,
    );
  }
  const buf = bytes.slice(start, end).buffer;
  switch (base.dtype) {
    case "float32":
      return new Float32Array(buf);
    case "float64":
      return new Float64Array(buf);
    case "float16":
      return halfToFloat32(new Uint16Array(buf));
    case "bfloat16":
      return bfloat16ToFloat32(new Uint16Array(buf));
    case "int64":
      return new BigInt64Array(buf);
    case "int32":
      return new Int32Array(buf);
    case "int16":
      return new Int16Array(buf);
    case "int8":
      return new Int8Array(buf);
    default:
      return new Uint8Array(buf);
  }
}

function materialize(t: TensorRef, name: string, source: string): NdArray {
  const src = storageValues(t.storage, name, source);
  const size = t.shape.reduce((a, b) => a * b, 1);
  const Ctor = src.constructor as new (n: number) => NdArray["data"];
  const out = new Ctor(size) as unknown as { [i: number]: number | bigint };
  const rank = t.shape.length;
  const index = new Array<number>(rank).fill(0);
  const values = src as unknown as { [i: number]: number | bigint; length: number };
  for (let i = 0; i < size; i++) {
    let at = t.offset;
    for (let r = 0; r < rank; r++) at += index[r]! * t.stride[r]!;
    if (at >= values.length) {
      throw new TorchPickleError(
        `${source}: ${describe(name)} reads element ${at} of a storage of ${values.length}.`,
      );
    }
    out[i] = values[at]!;
    for (let r = rank - 1; r >= 0; r--) {
      if (++index[r]! < t.shape[r]!) break;
      index[r] = 0;
    }
  }
  return ndarray(out as unknown as NdArray["data"], t.shape) as NdArray;
}
