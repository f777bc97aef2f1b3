// Ruby semantics for the values an ERB template handles: nil (null/undefined), String, Integer/Float, true/false
// and Array. Only nil and false are falsy (so "" is true), `to_s` of an Array is its inspect form (which YAML reads
// back as a flow list), and operators raise NoMethodError/TypeError like Ruby. Methods: ruby-methods.ts.

/** An error Ruby would raise; the renderer turns it into an Issue at the tag's line. */
export class RubyError extends Error {}

export const truthy = (v: unknown): boolean => v !== null && v !== undefined && v !== false;

export function toS(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return inspect(v);
  return String(v);
}

export function inspect(v: unknown): string {
  if (v === null || v === undefined) return "nil";
  if (typeof v === "string") return JSON.stringify(v).replaceAll("#{", "\\#{");
  if (Array.isArray(v)) return `[${v.map(inspect).join(", ")}]`;
  return String(v);
}

export function className(v: unknown): string {
  if (v === null || v === undefined) return "nil";
  if (typeof v === "string") return "an instance of String";
  if (typeof v === "number") return `an instance of ${Number.isInteger(v) ? "Integer" : "Float"}`;
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return "an instance of Array";
  return "an instance of Object";
}

export const isBlank = (v: unknown): boolean =>
  v === null || v === undefined || v === false || (typeof v === "string" && /^\s*$/.test(v)) || (Array.isArray(v) && v.length === 0);

export function equal(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  return a === b;
}

/** String#to_i: leading whitespace, an optional sign and digits (underscores between them); anything else is 0. */
export function toI(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === "number") return Math.trunc(v);
  if (typeof v === "string") {
    const m = /^\s*([-+]?\d+(?:_\d+)*)/.exec(v);
    return m ? parseInt(m[1]!.replaceAll("_", ""), 10) : 0;
  }
  throw noMethod("to_i", v);
}

export const noMethod = (name: string, recv: unknown) => new RubyError(`undefined method '${name}' for ${className(recv)}`);

/** Ruby's implicit conversion to String, as `+` and String methods require. */
export function str(v: unknown, method: string): string {
  if (typeof v !== "string") throw new RubyError(`no implicit conversion of ${className(v).replace(/^an instance of /, "")} into String (in ${method})`);
  return v;
}

export function plus(a: unknown, b: unknown): unknown {
  if (typeof a === "string") return a + str(b, "+");
  if (typeof a === "number" && typeof b === "number") return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  throw a === null || a === undefined ? noMethod("+", a) : new RubyError(`${className(b).replace(/^an instance of /, "")} can't be coerced into ${className(a).replace(/^an instance of /, "")}`);
}

export function op(name: string, a: unknown, b: unknown): unknown {
  if (typeof a !== "number" || typeof b !== "number") {
    if (typeof a === "string" && typeof b === "string" && ["<", "<=", ">", ">="].includes(name)) return compare(name, a, b);
    if (typeof a === "string" && name === "*" && typeof b === "number") return a.repeat(b);
    throw noMethod(name, a);
  }
  switch (name) {
    case "-": return a - b;
    case "*": return a * b;
    case "/":
      if (b === 0 && Number.isInteger(a)) throw new RubyError("divided by 0");
      return Number.isInteger(a) && Number.isInteger(b) ? Math.floor(a / b) : a / b;
    case "%": return ((a % b) + b) % b;
    default: return compare(name, a, b);
  }
}

function compare(name: string, a: number | string, b: number | string): boolean {
  return name === "<" ? a < b : name === "<=" ? a <= b : name === ">" ? a > b : a >= b;
}

export function index(recv: unknown, args: unknown[]): unknown {
  const [i] = args;
  if ((Array.isArray(recv) || typeof recv === "string") && typeof i === "number") {
    const item = Array.isArray(recv) ? recv.at(i) : [...recv].at(i);
    return item ?? null;
  }
  throw noMethod("[]", recv);
}

/** Kernel#Integer: strict, unlike to_i. */
export function integer(v: unknown): number {
  if (typeof v === "number") return Math.trunc(v);
  if (typeof v === "string" && /^\s*[-+]?(0x[0-9a-f]+|0b[01]+|0o?[0-7]+|\d+(_\d+)*)\s*$/i.test(v)) {
    const t = v.trim().replaceAll("_", "");
    const sign = t.startsWith("-") ? -1 : 1;
    const digits = t.replace(/^[-+]/, "").toLowerCase();
    if (digits.startsWith("0x")) return sign * parseInt(digits.slice(2), 16);
    if (digits.startsWith("0b")) return sign * parseInt(digits.slice(2), 2);
    if (digits.length > 1 && digits.startsWith("0")) return sign * parseInt(digits.replace(/^0o?/, ""), 8);
    return sign * parseInt(digits, 10);
  }
  throw new RubyError(`invalid value for Integer(): ${inspect(v)}`);
}

/** An Integer range, as the list it iterates over (`(1..3).each`, `(0...n).map`). */
export function range(from: unknown, to: unknown, exclusive: boolean): number[] {
  if (!Number.isInteger(from) || !Number.isInteger(to)) throw new RubyError(`bad value for range: only integer ranges are supported`);
  const last = (to as number) - (exclusive ? 1 : 0);
  return Array.from({ length: Math.max(0, last - (from as number) + 1) }, (_, i) => (from as number) + i);
}
