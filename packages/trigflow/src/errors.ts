// Typed errors of @scm/trigflow: callers may branch on the class; the message is one sentence naming
// the input, what it was and what was expected.

/** An input of @scm/trigflow is out of range or not finite (t outside [0, π/2], σ_d ≤ 0, NaN). */
export class TrigflowRangeError extends RangeError {
  override readonly name = "TrigflowRangeError";
  constructor(
    /** The input's name as the caller wrote it (`t`, `sigmaData`, `x0`). */
    readonly input: string,
    /** The offending value: a number (NaN for a tensor holding non-finite values) or a time grid. */
    readonly value: unknown,
    /** What was expected, in words. */
    readonly expected: string,
    detail = `is ${formatValue(value)}`,
  ) {
    super(`${input} ${detail}; expected ${expected}.`);
  }
}

/** Tensor inputs of @scm/trigflow have shapes that do not fit together. */
export class TrigflowShapeError extends Error {
  override readonly name = "TrigflowShapeError";
  constructor(
    /** The input's name (`z`, `t`, `the velocity callback's output`). */
    readonly input: string,
    /** The shape it had. */
    readonly shape: readonly number[],
    /** What was expected, in words (`[4, 3], the shape of x0`). */
    readonly expected: string,
  ) {
    super(`${input} has shape ${formatShape(shape)}; expected ${expected}.`);
  }
}

/** `[2, 3]` for a shape. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  if (typeof value === "number" && Number.isFinite(value)) return String(Number(value.toPrecision(8)));
  return String(value);
}
