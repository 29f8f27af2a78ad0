// How error messages write values and shapes, so every package's sentences read alike.

/** `[2, 3]` for a shape. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** A value as a message writes it: finite numbers to 8 significant digits, arrays in brackets, the rest as `String` does. */
export function formatValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  if (typeof value === "number" && Number.isFinite(value)) return String(Number(value.toPrecision(8)));
  return String(value);
}
