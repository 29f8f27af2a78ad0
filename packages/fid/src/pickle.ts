// A minimal unpickler (the pickle virtual machine of CPython's Lib/pickle.py, protocols 0-binary to 5):
// enough opcodes to read PyTorch checkpoints, which `torch.save` writes with protocol 2. It builds
// plain JavaScript values and never runs or imports anything: like PyTorch's `weights_only`
// unpickler it accepts only the globals the caller allow-lists (`globals`), applies them through the
// caller's `reduce`, resolves persistent ids (tensor storages) through `persistentLoad`; anything else
// is a `TorchPickleError`.
import { describe } from "@scm/io";
import { TorchPickleError } from "./errors.js";

/** A Python global (`module.name`) as met in a pickle; applying it is up to `findClass`'s caller. */
export interface PyGlobal {
  readonly kind: "global";
  readonly module: string;
  readonly name: string;
}

/** An object the unpickler could not reduce to a JavaScript value: a class applied to arguments. */
export interface PyObject {
  readonly kind: "object";
  readonly type: PyGlobal;
  readonly args: readonly unknown[];
  state?: unknown;
}

/** How the caller resolves globals and persistent ids. */
export interface UnpicklerHooks {
  /** The `module.name` globals the pickle may name (default none); any other GLOBAL is refused where it appears. */
  globals?: ReadonlySet<string>;
  /** Called for REDUCE/NEWOBJ on a global: return the value of `type(...args)`, or undefined to keep a `PyObject`. */
  reduce?: (type: PyGlobal, args: readonly unknown[]) => unknown;
  /** Resolves a persistent id (PyTorch: `('storage', StorageType, key, location, numel, ...)`). */
  persistentLoad?: (pid: unknown) => unknown;
}

/** The result of `unpickle`: the value and where the pickle's STOP opcode ended. */
export interface Unpickled {
  readonly value: unknown;
  readonly end: number;
}

const decoder = new TextDecoder("utf-8", { fatal: true });
const latin1 = new TextDecoder("latin1");

/** The longest LONG1/LONG4 integer read, in bytes: PyTorch writes at most 10 (its legacy magic number). */
export const MAX_LONG_BYTES = 64;

/** Reads one pickle starting at `offset` of `bytes`. Dicts become `Map`s, tuples and lists arrays. */
export function unpickle(bytes: Uint8Array, offset = 0, hooks: UnpicklerHooks = {}): Unpickled {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  let pos = offset;

  const need = (n: number) => {
    if (pos + n > bytes.length) {
      throw new TorchPickleError(
        `The pickle ends at byte ${bytes.length}, inside an opcode at ${pos}; expected ${n} more bytes.`,
      );
    }
  };
  const u8 = () => {
    need(1);
    return bytes[pos++]!;
  };
  const u16 = () => {
    need(2);
    const v = view.getUint16(pos, true);
    pos += 2;
    return v;
  };
  const u32 = () => {
    need(4);
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const i32 = () => {
    need(4);
    const v = view.getInt32(pos, true);
    pos += 4;
    return v;
  };
  const take = (n: number) => {
    if (!Number.isSafeInteger(n) || n < 0)
      throw new TorchPickleError(
        `The pickle gives a length of ${n} for the data at byte ${pos}; expected a non-negative length.`,
      );
    need(n);
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) throw new TorchPickleError(`The pickle has an unterminated text line at byte ${pos}.`);
    const text = latin1.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return text;
  };
  const pop = () => {
    if (stack.length === 0) throw new TorchPickleError(`The pickle pops an empty stack at byte ${pos - 1}.`);
    return stack.pop();
  };
  const popMark = () => {
    const m = marks.pop();
    if (m === undefined)
      throw new TorchPickleError(`The pickle has no MARK for the opcode at byte ${pos - 1}.`);
    return stack.splice(m);
  };
  const top = () => stack[stack.length - 1];
  const global = (module: string, name: string, at: number): PyGlobal => {
    const full = `${module}.${name}`;
    if (!hooks.globals?.has(full)) {
      const allowed =
        hooks.globals === undefined || hooks.globals.size === 0
          ? "no globals here"
          : `only ${[...hooks.globals].join(", ")}`;
      throw new TorchPickleError(
        `The pickle names the global ${describe(full, 120)} at byte ${at}, which is not allowed; this reader loads ${allowed} and never imports or calls anything else.`,
      );
    }
    return { kind: "global", module, name };
  };
  const reduce = (type: unknown, args: readonly unknown[]): unknown => {
    if (!isGlobal(type)) throw new TorchPickleError(`The pickle calls a non-global at byte ${pos - 1}.`);
    const value = hooks.reduce?.(type, args);
    return value === undefined ? ({ kind: "object", type, args } satisfies PyObject) : value;
  };
  const setItems = (target: unknown, items: unknown[]) => {
    if (!(target instanceof Map))
      throw new TorchPickleError(`The pickle sets items on a non-dict at byte ${pos - 1}.`);
    for (let i = 0; i + 1 < items.length; i += 2) target.set(items[i], items[i + 1]);
  };
  const utf8 = (b: Uint8Array, at: number): string => {
    try {
      return decoder.decode(b);
    } catch {
      throw new TorchPickleError(`The pickle has a string at byte ${at} that is not valid UTF-8.`);
    }
  };
  const longFromBytes = (b: Uint8Array, at: number): number | bigint => {
    if (b.length === 0) return 0;
    if (b.length > MAX_LONG_BYTES)
      throw new TorchPickleError(
        `The pickle has an integer of ${b.length} bytes at byte ${at}; expected at most ${MAX_LONG_BYTES}.`,
      );
    // little-endian two's complement, read through hex (linear, not a shift per byte)
    let hex = "";
    for (let i = b.length - 1; i >= 0; i--) hex += b[i]!.toString(16).padStart(2, "0");
    let v = BigInt(`0x${hex}`);
    if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };

  for (;;) {
    const at = pos;
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME (protocol 4): a length we do not need
        take(8);
        break;
      case 0x2e: // STOP
        return { value: pop(), end: pos };
      case 0x28: // MARK
        marks.push(stack.length);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x64: {
        // DICT
        const items = popMark();
        const d = new Map();
        setItems(d, items);
        stack.push(d);
        break;
      }
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: // LONG1
        stack.push(longFromBytes(take(u8()), at));
        break;
      case 0x8b: // LONG4
        stack.push(longFromBytes(take(u32()), at));
        break;
      case 0x47: {
        // BINFLOAT: big-endian float64
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      }
      case 0x58: // BINUNICODE
        stack.push(utf8(take(u32()), at));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(utf8(take(u8()), at));
        break;
      case 0x8d: {
        // BINUNICODE8
        const lo = u32();
        const hi = u32();
        stack.push(utf8(take(hi * 2 ** 32 + lo), at));
        break;
      }
      case 0x54: // BINSTRING (Python 2 str)
        stack.push(latin1.decode(take(i32())));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(latin1.decode(take(u8())));
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()).slice());
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8()).slice());
        break;
      case 0x63: {
        // GLOBAL
        const module = line();
        const name = line();
        stack.push(global(module, name, at));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== "string" || typeof name !== "string")
          throw new TorchPickleError(
            `The pickle's STACK_GLOBAL at byte ${at} names ${describe(module)}.${describe(name)}; expected two strings.`,
          );
        stack.push(global(module, name, at));
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const key = op === 0x68 ? u8() : u32();
        if (!memo.has(key))
          throw new TorchPickleError(`The pickle reads memo ${key}, never stored, at byte ${at}.`);
        stack.push(memo.get(key));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const type = pop();
        stack.push(reduce(type, asArray(args)));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = pop();
        const type = pop();
        stack.push(reduce(type, asArray(args)));
        break;
      }
      case 0x62: {
        // BUILD: set state; dict instance attributes (OrderedDict's `_metadata`) are kept aside
        const state = pop();
        const obj = top() as { state?: unknown } | Map<unknown, unknown>;
        if (obj !== null && typeof obj === "object" && !(obj instanceof Map) && !Array.isArray(obj))
          obj.state = state;
        break;
      }
      case 0x73: {
        // SETITEM
        const value = pop();
        const key = pop();
        setItems(top(), [key, value]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x61: {
        // APPEND
        const value = pop();
        const list = top();
        if (!Array.isArray(list))
          throw new TorchPickleError(`The pickle appends to a non-list at byte ${at}.`);
        list.push(value);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const list = top();
        if (!Array.isArray(list))
          throw new TorchPickleError(`The pickle appends to a non-list at byte ${at}.`);
        for (const item of items) list.push(item); // a spread of 200k items overflows the call stack
        break;
      }
      case 0x51: {
        // BINPERSID
        const pid = pop();
        if (hooks.persistentLoad === undefined) {
          throw new TorchPickleError(
            `The pickle has a persistent id at byte ${at} and no persistentLoad was given.`,
          );
        }
        stack.push(hooks.persistentLoad(pid));
        break;
      }
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      default:
        throw new TorchPickleError(
          `The pickle has opcode 0x${op.toString(16).padStart(2, "0")} at byte ${at}, which this reader does not support; expected a protocol-2 PyTorch checkpoint.`,
        );
    }
  }
}

/** Whether `x` is a `PyGlobal`. */
export function isGlobal(x: unknown): x is PyGlobal {
  return typeof x === "object" && x !== null && (x as PyGlobal).kind === "global";
}

function asArray(x: unknown): unknown[] {
  if (!Array.isArray(x)) throw new TorchPickleError("The pickle passes non-tuple arguments to a call.");
  return x;
}
