// The YAML values whose Ruby type a JavaScript primitive cannot carry. Kamal loads deploy.yml with Psych, so
// `3.0` is a Float (sent as "3.0", not "3"), `1234567890123456789` an Integer with every digit, and `:info` a
// Symbol (sent as "info"). Each prints with Ruby's `to_s` through `String(value)`, which is how every value
// reaches a host (`--env`, `--label`, docker options, build args). Integers that fit a double stay numbers.

/** A Psych scalar that is neither a String, a small Integer, true/false/nil nor a time. */
export abstract class RubyScalar {
  /** Ruby's `to_s`: what Kamal interpolates into a command line. */
  abstract toString(): string;
  /** What `--json` output carries. */
  abstract toJSON(): unknown;
}

export class RubyFloat extends RubyScalar {
  readonly value: number;
  constructor(value: number) {
    super();
    this.value = value;
  }
  toString(): string {
    return floatToS(this.value);
  }
  toJSON(): number {
    return this.value;
  }
}

/** An Integer beyond 2^53, which a double would round (1234567890123456789 → 1234567890123456800). */
export class RubyBignum extends RubyScalar {
  readonly value: bigint;
  constructor(value: bigint) {
    super();
    this.value = value;
  }
  toString(): string {
    return this.value.toString();
  }
  /** JSON numbers lose the digits in most readers; the exact digits as a string. */
  toJSON(): string {
    return this.value.toString();
  }
}

/** A Symbol (`:info`, `!ruby/symbol info`): `to_s` is the name without the colon. */
export class RubySymbolValue extends RubyScalar {
  readonly name: string;
  constructor(name: string) {
    super();
    this.name = name;
  }
  toString(): string {
    return this.name;
  }
  /** As sextant wrote symbols before they had a type, and as Psych dumps them. */
  toJSON(): string {
    return `:${this.name}`;
  }
}

/** A Ruby Integer from its exact value: a number while a double holds it exactly, a RubyBignum beyond. */
export function rubyInteger(value: bigint): number | RubyBignum {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : new RubyBignum(value);
}

/**
 * Ruby's Float#to_s: the shortest digits that read back the same, with `.0` on a whole number; exponent form
 * (`1.0e+15`, `1.0e-05`) outside 1e-4 <= |f| < 1e15. The one copy: the loader, ERB and the `config` printer
 * all write Floats with it.
 */
export function floatToS(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (!Number.isFinite(f)) return f > 0 ? "Infinity" : "-Infinity";
  if (f === 0) return Object.is(f, -0) ? "-0.0" : "0.0";
  const [mantissa = "", exponent = "0"] = f.toExponential().split("e");
  const e = Number(exponent);
  if (e >= -4 && e < 15) {
    const fixed = String(f);
    return fixed.includes(".") ? fixed : `${fixed}.0`;
  }
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\f": "\\f", "\v": "\\v", "\b": "\\b", "\x07": "\\a", "\x1b": "\\e",
};

/** String#inspect of UTF-8 text (Ruby 3.1): C0 controls, DEL and the line/paragraph separators are escaped. */
function inspectString(s: string): string {
  return `"${s.replace(/["\\\x00-\x1f\x7f\u2028\u2029]|#(?=[{$@])/g, (c) =>
    NAMED_ESCAPES[c] ?? (c === "#" ? "\\#" : `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`))}"`;
}

const PLAIN_SYMBOL = /^(?:[A-Za-z_][A-Za-z0-9_]*[?!=]?|@@?[A-Za-z_][A-Za-z0-9_]*|\$[A-Za-z_][A-Za-z0-9_]*|\[\]=?|[+\-*/%<>!~^&|]|==|<=>|<=|>=|\*\*)$/;

/**
 * Ruby's `inspect` of YAML data, which is a Hash or Array key's `to_s` (`? [a, b]` is the key `["a", "b"]`).
 * Hashes print Ruby 3.1's way: `{"x"=>1}`.
 */
export function rubyInspect(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "string") return inspectString(value);
  if (value instanceof RubySymbolValue) return PLAIN_SYMBOL.test(value.name) ? `:${value.name}` : `:${inspectString(value.name)}`;
  if (Array.isArray(value)) return `[${value.map(rubyInspect).join(", ")}]`;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object" && !(value instanceof RubyScalar))
    return `{${Object.entries(value).map(([key, inner]) => `${rubyInspect(key)}=>${rubyInspect(inner)}`).join(", ")}}`;
  return String(value);
}

