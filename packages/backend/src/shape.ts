// Shape equality, which the JVP rules, the tangent checks and TrigFlow's validation all ask.

/** True when two shapes have the same rank and sizes. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
