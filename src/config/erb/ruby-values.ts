// Ruby semantics for the values an ERB template handles: nil (null/undefined), String (string), Integer (bigint),
// Float (number), true/false, Symbol, Array, Hash (Map) and Regexp. Integer and Float stay distinct, as in Ruby:
// `10 / 4` is 2 and `10 / 4.0` is 2.5, and a Float prints with its `.0`. Only nil and false are falsy (so "" is
// true), `to_s` of an Array or Hash is its inspect form (which YAML reads back as a flow list or map), and
// operators raise Ruby's errors. Methods: ruby-methods.ts.
import { checkSize } from "./budget.ts";
import { RubyRegexp } from "./regexp.ts";
import { floatToS } from "../../ruby-scalar.ts";

/** A StandardError Ruby would raise; `rescue` catches it, otherwise the renderer reports it at the tag's line. */
export class RubyError extends Error {
  /** Ruby's exception class, for `rescue KeyError` */
  readonly rubyClass: string;
  constructor(message: string, rubyClass = "RuntimeError") {
    super(message);
    this.rubyClass = rubyClass;
  }
}

/**
 * Ruby that sextant does not evaluate (a method it has no copy of). Not a RubyError: `rescue` must not swallow
 * it, because Ruby might not have raised at all. The template is refused, or rendered by Ruby when installed.
 */
export class NotTranslated extends Error {}

export class RubySymbol {
  static readonly #all = new Map<string, RubySymbol>();
  readonly name: string;
  private constructor(name: string) {
    this.name = name;
  }
  /** Symbols are interned, so `===` is Ruby's equality. */
  static of(name: string): RubySymbol {
    let sym = RubySymbol.#all.get(name);
    if (!sym) RubySymbol.#all.set(name, (sym = new RubySymbol(name)));
    return sym;
  }
}

export type RubyHash = Map<unknown, unknown>;

export const truthy = (v: unknown): boolean => v !== null && v !== undefined && v !== false;
export const isNil = (v: unknown): v is null | undefined => v === null || v === undefined;
export const isNumeric = (v: unknown): v is bigint | number => typeof v === "bigint" || typeof v === "number";

export function toS(v: unknown): string {
  if (isNil(v)) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return floatToS(v);
  if (v instanceof RubySymbol) return v.name;
  if (v instanceof RubyRegexp) return v.toS();
  if (v instanceof RubyError) return v.message;
  return inspect(v);
}

const STRING_ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\f": "\\f", "\v": "\\v", "\b": "\\b", "\x07": "\\a", "\x1b": "\\e" };

/** String#inspect of a UTF-8 string (Ruby 3.1). */
function inspectString(s: string): string {
  const body = s.replace(/["\\\n\t\r\f\v\b\x07\x1b]|[\x00-\x1f\x7f]|#(?=[{$@])/g, (c) =>
    STRING_ESCAPES[c] ?? (c === "#" ? "\\#" : `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`));
  return `"${body}"`;
}

/** Kernel#inspect, Ruby 3.1 style (`{:a=>1, "b"=>nil}`). */
export function inspect(v: unknown): string {
  if (isNil(v)) return "nil";
  if (typeof v === "string") return inspectString(v);
  if (typeof v === "number") return floatToS(v);
  if (typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (v instanceof RubySymbol) return /^(?:[A-Za-z_][A-Za-z0-9_]*[?!=]?|\[\]=?|[+\-*/%<>!~^&|]|==|<=>|<=|>=|\*\*)$/.test(v.name) ? `:${v.name}` : `:${inspectString(v.name)}`;
  if (Array.isArray(v)) return `[${v.map(inspect).join(", ")}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${inspect(k)}=>${inspect(x)}`).join(", ")}}`;
  if (v instanceof RubyRegexp) return `/${v.source}/${v.flags}`;
  if (v instanceof RubyError) return `#<${v.rubyClass}: ${v.message}>`;
  throw new NotTranslated("inspecting this value");
}

export function className(v: unknown): string {
  if (isNil(v)) return "NilClass";
  if (typeof v === "string") return "String";
  if (typeof v === "bigint") return "Integer";
  if (typeof v === "number") return "Float";
  if (typeof v === "boolean") return v ? "TrueClass" : "FalseClass";
  if (v instanceof RubySymbol) return "Symbol";
  if (Array.isArray(v)) return "Array";
  if (v instanceof Map) return "Hash";
  if (v instanceof RubyRegexp) return "Regexp";
  if (v instanceof RubyError) return v.rubyClass;
  return "Object";
}

/** How NoMethodError names the receiver: `nil`, `true`, or `an instance of String` (Ruby 3.4 wording). */
function describe(v: unknown): string {
  if (isNil(v)) return "nil";
  if (typeof v === "boolean") return String(v);
  return `an instance of ${className(v)}`;
}

export const isBlank = (v: unknown): boolean =>
  isNil(v) || v === false || (typeof v === "string" && /^[\s\u3000]*$/.test(v)) || (Array.isArray(v) && v.length === 0) || (v instanceof Map && v.size === 0);

export function equal(a: unknown, b: unknown): boolean {
  if (isNil(a) && isNil(b)) return true;
  // Loose equality compares a bigint and a number by value, as Ruby's 1 == 1.0.
  if (isNumeric(a) && isNumeric(b)) return a == b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (a instanceof Map && b instanceof Map) return a.size === b.size && [...a].every(([k, x]) => b.has(k) && equal(x, b.get(k)));
  if (a instanceof RubyRegexp && b instanceof RubyRegexp) return a.source === b.source && a.flags === b.flags;
  return a === b;
}

/** String#to_i: leading whitespace, an optional sign and digits (underscores between them); anything else is 0. */
export function toI(v: unknown): bigint {
  if (isNil(v)) return 0n;
  if (typeof v === "bigint") return v;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new RubyError(floatToS(v), "FloatDomainError");
    return BigInt(Math.trunc(v));
  }
  if (typeof v === "string") {
    const m = /^[ \t\n\v\f\r]*([-+]?\d+(?:_\d+)*)/.exec(v);
    return m ? BigInt(m[1]!.replaceAll("_", "")) : 0n;
  }
  throw noMethod("to_i", v);
}

/** String#to_f: the longest leading decimal number, else 0.0. */
export function toF(v: unknown): number {
  if (isNil(v)) return 0;
  if (isNumeric(v)) return Number(v);
  if (typeof v === "string") {
    const m = /^[ \t\n\v\f\r]*[-+]?\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?(?:[eE][-+]?\d+)?/.exec(v);
    return m ? Number(m[0].trim().replaceAll("_", "")) : 0;
  }
  throw noMethod("to_f", v);
}

export const noMethod = (name: string, recv: unknown) => new RubyError(`undefined method '${name}' for ${describe(recv)}`, "NoMethodError");

/** Ruby's implicit conversion to String, as `+` and String methods require. */
export function str(v: unknown, method: string): string {
  if (typeof v !== "string") throw new RubyError(`no implicit conversion of ${isNil(v) ? "nil" : className(v)} into String (in ${method})`, "TypeError");
  return v;
}

/** Ruby's implicit conversion to Integer, for counts and indexes. */
export function int(v: unknown, method: string): number {
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number") return Math.trunc(v);
  throw new RubyError(`no implicit conversion of ${isNil(v) ? "nil" : className(v)} into Integer (in ${method})`, "TypeError");
}

export function plus(a: unknown, b: unknown): unknown {
  if (typeof a === "string") return a + str(b, "+");
  if (isNumeric(a) && isNumeric(b)) return arithmetic("+", a, b);
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (Array.isArray(a)) throw new RubyError(`no implicit conversion of ${isNil(b) ? "nil" : className(b)} into Array`, "TypeError");
  if (isNil(a) || !isNumeric(a)) throw noMethod("+", a);
  throw new RubyError(`${isNil(b) ? "nil" : className(b)} can't be coerced into ${className(a)}`, "TypeError");
}

export function negate(v: unknown): unknown {
  if (typeof v === "bigint") return -v;
  if (typeof v === "number") return -v;
  throw noMethod("-@", v);
}

export function op(name: string, a: unknown, b: unknown): unknown {
  if (isNumeric(a) && isNumeric(b)) return ["<", "<=", ">", ">="].includes(name) ? compare(name, a, b) : arithmetic(name, a, b);
  if (typeof a === "string" && typeof b === "string" && ["<", "<=", ">", ">="].includes(name)) return compare(name, a, b);
  if (typeof a === "string" && name === "*") {
    const count = int(b, "*");
    if (count < 0) throw new RubyError("negative argument", "ArgumentError");
    return a.repeat(count);
  }
  if (Array.isArray(a) && name === "-" && Array.isArray(b)) return a.filter((x) => !b.some((y) => equal(x, y)));
  if (isNumeric(a)) throw new RubyError(`${isNil(b) ? "nil" : className(b)} can't be coerced into ${className(a)}`, "TypeError");
  if (isNil(a) || typeof a === "boolean") throw noMethod(name, a);
  throw new NotTranslated(`${className(a)}#${name}`);
}

function arithmetic(name: string, a: bigint | number, b: bigint | number): bigint | number {
  if (typeof a === "bigint" && typeof b === "bigint") {
    if ((name === "/" || name === "%") && b === 0n) throw new RubyError("divided by 0", "ZeroDivisionError");
    switch (name) {
      case "+": return a + b;
      case "-": return a - b;
      case "*": return a * b;
      // Ruby rounds integer division towards negative infinity, and the remainder takes the divisor's sign.
      case "/": return a / b - ((a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? 1n : 0n);
      case "%": return ((a % b) + b) % b;
      case "**":
        if (b < 0n) throw new NotTranslated("Integer#** with a negative exponent (a Rational)");
        return a ** b;
    }
  }
  const x = Number(a);
  const y = Number(b);
  switch (name) {
    case "+": return x + y;
    case "-": return x - y;
    case "*": return x * y;
    case "/": return x / y;
    case "%": return x - y * Math.floor(x / y);
    case "**": return x ** y;
  }
  throw new NotTranslated(`the ${name} operator`);
}

function compare(name: string, a: bigint | number | string, b: bigint | number | string): boolean {
  return name === "<" ? a < b : name === "<=" ? a <= b : name === ">" ? a > b : a >= b;
}

/** Kernel#Integer: strict, unlike to_i. */
export function integer(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return toI(v);
  if (typeof v === "string" && /^\s*[-+]?(0x[0-9a-f]+(_[0-9a-f]+)*|0b[01]+(_[01]+)*|0o?[0-7]+(_[0-7]+)*|\d+(_\d+)*)\s*$/i.test(v)) {
    const t = v.trim().replaceAll("_", "");
    const negative = t.startsWith("-");
    const digits = t.replace(/^[-+]/, "").toLowerCase();
    const value = /^0[xb]/.test(digits) ? BigInt(digits) : digits.length > 1 && digits.startsWith("0") ? BigInt(`0o${digits.replace(/^0o?/, "")}`) : BigInt(digits);
    return negative ? -value : value;
  }
  throw new RubyError(`invalid value for Integer(): ${inspect(v)}`, "ArgumentError");
}

/** An Integer range, as the list it iterates over (`(1..3).each`, `(0...n).map`). */
export function range(from: unknown, to: unknown, exclusive: boolean): bigint[] {
  if (typeof from !== "bigint" || typeof to !== "bigint") throw new NotTranslated("a range of anything but integers");
  const last = to - (exclusive ? 1n : 0n);
  checkSize(last - from + 1n, `the range ${from}${exclusive ? "..." : ".."}${to}`);
  const out: bigint[] = [];
  for (let i = from; i <= last; i++) out.push(i);
  return out;
}

/** Which exception classes a `rescue` clause names catch an error (StandardError and its usual subclasses). */
const ANCESTORS: Record<string, readonly string[]> = {
  NoMethodError: ["NameError"],
  KeyError: ["IndexError"],
  "Errno::ENOENT": ["SystemCallError"],
  FloatDomainError: ["RangeError"],
};

export function rescues(err: RubyError, classes: readonly string[]): boolean {
  if (classes.length === 0) return true;
  const lineage = [err.rubyClass, ...(ANCESTORS[err.rubyClass] ?? []), "StandardError", "Exception"];
  return classes.some((c) => lineage.includes(c));
}
