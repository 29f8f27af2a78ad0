import { Rng } from "@scm/backend";
import { crc32, encodeSafetensors } from "@scm/io";
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { type Checkpoint, decodeCheckpoint, encodeCheckpoint, tensorGroup } from "./checkpoint.js";

function sample(): Checkpoint<{ step: number; note: string }> {
  const rng = Rng.seeded(1);
  const t = (shape: number[]) => ({
    shape,
    data: rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1))),
  });
  return {
    meta: { step: 7, note: "ünïcode" },
    tensors: { "model.b": t([3]), "model.a.weight": t([2, 5]), "ema.ema.a.weight": t([2, 5]), scalar: t([]) },
  };
}

describe("encodeCheckpoint / decodeCheckpoint", () => {
  it("round-trips state and tensors bit for bit", () => {
    const c = sample();
    const back = decodeCheckpoint<{ step: number; note: string }>(encodeCheckpoint(c), "c.safetensors");
    expect(back.meta).toEqual(c.meta);
    expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(c.tensors).sort());
    for (const [name, t] of Object.entries(c.tensors)) {
      expect(back.tensors[name]!.shape).toEqual(t.shape);
      expect(Buffer.from(back.tensors[name]!.data.buffer).equals(Buffer.from(t.data.buffer))).toBe(true);
    }
  });

  it("refuses a file whose tensor bytes were altered, naming it and both checksums", () => {
    const bytes = encodeCheckpoint(sample());
    bytes[bytes.length - 3]! ^= 0x40; // flip one bit of the last tensor's data
    expect(() => decodeCheckpoint(bytes, "run/c.safetensors")).toThrow(
      /^run\/c\.safetensors is corrupt: its state and tensor data have CRC-32 [0-9a-f]{8} but the file records [0-9a-f]{8}\.$/,
    );
  });

  it("refuses a file whose JSON state was edited (step, learning rate, seed, RNG or Adam state)", () => {
    const bytes = encodeCheckpoint(sample());
    const text = new TextDecoder("latin1").decode(bytes);
    const at = text.indexOf('\\"step\\":7');
    expect(at).toBeGreaterThan(0);
    bytes[at + 9] = "8".charCodeAt(0); // step 7 → 8, same length, header still valid JSON
    expect(() => decodeCheckpoint(bytes, "run/c.safetensors")).toThrow(
      /^run\/c\.safetensors is corrupt: its state and tensor data have CRC-32 [0-9a-f]{8} but the file records [0-9a-f]{8}\.$/,
    );
  });

  it("still reads a format-1 checkpoint, whose CRC covers the tensor bytes only", () => {
    const c = sample();
    const arrays = Object.fromEntries(
      Object.entries(c.tensors).map(([n, t]) => [n, ndarray(t.data, [...t.shape])]),
    );
    const names = Object.keys(c.tensors).sort();
    const all = Buffer.concat(names.map((n) => Buffer.from(c.tensors[n]!.data.buffer)));
    const bytes = encodeSafetensors(arrays, {
      "scm.format": "scm-checkpoint/1",
      "scm.checkpoint": JSON.stringify(c.meta),
      "scm.crc32": crc32(all).toString(16).padStart(8, "0"),
    });
    expect(decodeCheckpoint(bytes, "old.safetensors").meta).toEqual(c.meta);
  });

  it("refuses a truncated file and a file of another format", () => {
    const bytes = encodeCheckpoint(sample());
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 10), "c")).toThrow(
      /c is not a readable checkpoint/,
    );
    expect(() => decodeCheckpoint(new Uint8Array(16), "c")).toThrow(/c is not a readable checkpoint/);
  });
});

describe("tensorGroup", () => {
  it("selects by prefix and strips it", () => {
    const g = tensorGroup(sample().tensors, "model.");
    expect(Object.keys(g).sort()).toEqual(["a.weight", "b"]);
  });
});
