// Quoting input values inside error messages without recursing over them or copying them whole: a
// hostile file can hold a header value nested a million deep or a string of 100 MB.

const MAX_QUOTE = 80;

/** A short, bounded rendering of a value for an error message (strings cut to `max` characters, containers summarised). */
export function describe(value: unknown, max = MAX_QUOTE): string {
  if (typeof value === "string") return quote(value, max);
  if (typeof value === "bigint") return cut(`${value}`, max);
  if (value === null || typeof value !== "object") return cut(String(value), max);
  if (Array.isArray(value)) {
    // a short list of scalars is shown (shapes, offsets); anything else only by its length
    if (value.length <= 8 && value.every((v) => v === null || typeof v !== "object")) {
      return cut(`[${value.map((v) => describe(v, 24)).join(", ")}]`, max);
    }
    return `a list of ${value.length} items`;
  }
  if (value instanceof Map) return `a dict of ${value.size} entries`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name} of ${value.byteLength} bytes`;
  return "an object";
}

/** A string in double quotes, cut to `max` characters with the full length said. */
export function quote(s: string, max = MAX_QUOTE): string {
  if (s.length <= max) return JSON.stringify(s);
  return `${JSON.stringify(s.slice(0, max))}… (${s.length} characters)`;
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length} characters)`;
}

/** `JSON.stringify(value)` when that is short (at most `max` characters), else `describe(value)`; never throws or recurses without bound. */
export function boundedJson(value: unknown, max = 120): string {
  if (value === null || typeof value !== "object") {
    const s = typeof value === "bigint" ? `${value}` : (JSON.stringify(value) ?? String(value));
    return s.length <= max ? s : describe(value, max);
  }
  // a container: only a shallow one is serialised (JSON.stringify recurses over nesting)
  if (depthOver(value, 4)) return describe(value, max);
  let s: string | undefined;
  try {
    s = JSON.stringify(value);
  } catch {
    s = undefined;
  }
  return s !== undefined && s.length <= max ? s : describe(value, max);
}

/** Whether a value nests more than `limit` containers deep or holds more than 1,000 entries at a level (iterative). */
function depthOver(value: unknown, limit: number): boolean {
  let level: unknown[] = [value];
  for (let d = 0; level.length > 0; d++) {
    if (d > limit) return true;
    const next: unknown[] = [];
    for (const v of level) {
      if (v === null || typeof v !== "object") continue;
      const children = Array.isArray(v) ? v : Object.values(v as object);
      if (children.length > 1000) return true;
      for (const c of children) if (c !== null && typeof c === "object") next.push(c);
    }
    if (next.length > 1000) return true;
    level = next;
  }
  return false;
}
