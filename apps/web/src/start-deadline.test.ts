import { BackendUnavailableError } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { errorSentence } from "./error-sentence.js";
import { withStartDeadline } from "./start-deadline.js";

describe("withStartDeadline", () => {
  it("passes a start that settles in time through, value or error", async () => {
    await expect(withStartDeadline("wasm", Promise.resolve(7), 0.05)).resolves.toBe(7);
    await expect(withStartDeadline("wasm", Promise.reject(new Error("no")), 0.05)).rejects.toThrow("no");
  });

  it("turns a start that never settles into one sentence naming the backend", async () => {
    const never = new Promise<never>(() => {});
    const err = await withStartDeadline("wasm", never, 0.05).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(errorSentence(err)).toBe(
      'Backend "wasm" is unavailable: it did not start within 0.05 s (pick another backend; wasm hangs like this when its threads cannot start).',
    );
  });
});
