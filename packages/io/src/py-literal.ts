// A parser for the Python literals numpy writes in .npy headers: dicts, tuples, lists, strings,
// integers (py2's `3L` too), True/False/None. Dicts become Maps, tuples and lists arrays.
import { ScmError } from "@scm/errors";

/** A parsed Python literal. */
export type PyValue = string | number | boolean | null | PyValue[] | Map<string, PyValue>;

/** Nesting deeper than the caller's limit; the caller turns it into its own typed error. */
export class PyLiteralDepthError extends ScmError {
  static override readonly tag: string = "PyLiteralDepthError";
}

const TOKEN = /(-?\d+)L?|(True|False|None)\b/y;

/** Parses one Python literal nested at most `maxDepth` deep; throws an Error naming the offending position. */
export function parsePyLiteral(text: string, maxDepth = 16): PyValue {
  let i = 0;
  let depth = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const fail = (what: string): never => {
    throw new Error(`${what} at character ${i}`);
  };
  const value = (): PyValue => {
    ws();
    const c = text[i];
    if (c === "{" || c === "(" || c === "[") {
      if (++depth > maxDepth)
        throw new PyLiteralDepthError(`nesting deeper than ${maxDepth} at character ${i}`);
      const v = container(c);
      depth--;
      return v;
    }
    return scalar(c);
  };
  const container = (c: string): PyValue => {
    if (c === "{") {
      i++;
      const m = new Map<string, PyValue>();
      for (;;) {
        ws();
        if (text[i] === "}") {
          i++;
          return m;
        }
        const k = value();
        if (typeof k !== "string") fail("expected a string key");
        ws();
        if (text[i] !== ":") fail("expected ':'");
        i++;
        m.set(k as string, value());
        ws();
        if (text[i] === ",") i++;
        else if (text[i] !== "}") fail("expected ',' or '}'");
      }
    }
    if (c === "(" || c === "[") {
      const close = c === "(" ? ")" : "]";
      i++;
      const items: PyValue[] = [];
      for (;;) {
        ws();
        if (text[i] === close) {
          i++;
          return items;
        }
        items.push(value());
        ws();
        if (text[i] === ",") i++;
        else if (text[i] !== close) fail(`expected ',' or '${close}'`);
      }
    }
    return fail("unexpected token");
  };
  const scalar = (c: string | undefined): PyValue => {
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) fail("unterminated string");
      const s = text.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(text);
    if (m === null) return fail("unexpected token");
    i += m[0].length;
    if (m[1] !== undefined) return Number(m[1]);
    return m[2] === "True" ? true : m[2] === "False" ? false : null;
  };
  const v = value();
  ws();
  if (i !== text.length) fail("unexpected trailing text");
  return v;
}
