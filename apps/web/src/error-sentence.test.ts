import { BackendUnavailableError } from "@scm/backend";
import { RunError } from "@scm/runs";
import { describe, expect, it } from "vitest";
import { errorSentence } from "./error-sentence.js";

describe("errorSentence", () => {
  it("gives a typed error's own message", () => {
    expect(errorSentence(new BackendUnavailableError("webgpu", "no WebGPU adapter answered"))).toBe(
      'Backend "webgpu" is unavailable: no WebGPU adapter answered.',
    );
    expect(errorSentence(new RunError("x.safetensors is not a model file"))).toBe(
      "x.safetensors is not a model file.",
    );
  });

  it("keeps one line of anything else, saying it was unexpected", () => {
    expect(errorSentence(new TypeError("bad thing\n    at stack"))).toBe("Something went wrong: bad thing.");
    expect(errorSentence("plain")).toBe("Something went wrong: plain.");
  });
});
