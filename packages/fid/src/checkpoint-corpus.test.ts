// The fuzz corpus's generated checkpoints are real ones: the reader gets every tensor back exactly.
import { describe, expect, it } from "vitest";
import { checkpointCorpus } from "./fuzz/checkpoint-corpus.js";
import { readTorchStateDict } from "./torch-checkpoint.js";

describe("generated checkpoint corpus", () => {
  it("reads the zip and legacy checkpoints back tensor by tensor", () => {
    const [zip, , legacy] = checkpointCorpus();
    for (const bytes of [zip!, legacy!]) {
      const dict = readTorchStateDict(bytes, "corpus.pth");
      expect([...dict.keys()]).toEqual(["conv.weight", "bn.running_mean", "fc.weight.T", "steps"]);
      expect(Array.from(dict.get("conv.weight")!.data as Float32Array)).toEqual([
        0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5,
      ]);
      expect(Array.from(dict.get("bn.running_mean")!.data as Float32Array)).toEqual([3, 3.5]);
      expect(Array.from(dict.get("fc.weight.T")!.data as Float64Array)).toEqual([1, 3, 2, 4]);
      expect((dict.get("steps")!.data as BigInt64Array)[0]).toBe(12345n);
    }
  });
});
