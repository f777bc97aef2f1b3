// Resolves a plain (unquoted, untagged) YAML scalar the way Ruby's Psych does (psych lib/psych/scalar_scanner.rb,
// `tokenize`, with the default non-strict integers): psych-scalar.ts says which kind it is, this file what value
// that kind has. Kamal loads deploy.yml with Psych, so these YAML 1.1 rules
// decide what a value *is*: `yes` is true, `0755` is 493, `22:22` is 80520, `y` stays a string, `3.0` is a Float
// (a RubyFloat, printed "3.0"), `:info` a Symbol (printed "info"). See ruby-scalar.ts.
import { TIME, scanPlain } from "../psych-scalar.ts";
import { RubyFloat, RubySymbolValue, rubyInteger, type RubyBignum } from "../ruby-scalar.ts";

/** A value Psych would raise on while loading (Kamal stops there too), e.g. `!!float abc`. */
export class ScalarError extends Error {}

export type PlainScalar = string | number | boolean | null | Date | RubyFloat | RubyBignum | RubySymbolValue;

/** The value of each kind psych-scalar.ts tells apart. */
export function resolvePlainScalar(text: string): PlainScalar {
  switch (scanPlain(text)) {
    case "null": return null;
    case "true": return true;
    case "false": return false;
    case "time": return parseTime(text);
    case "date": return parseDate(text);
    case "+inf": return new RubyFloat(Infinity);
    case "-inf": return new RubyFloat(-Infinity);
    case "nan": return new RubyFloat(NaN);
    case "symbol": return symbol(text);
    case "sexagesimal-integer": return rubyInteger(sexagesimalInteger(text));
    case "sexagesimal-float": return new RubyFloat(sexagesimalFloat(text));
    case "float": return new RubyFloat(rubyFloat(text.replace(/[,_]/g, "").replace(/\.([Ee]|$)/, "$1")));
    case "integer": return parseInteger(text.replace(/[,_]/g, ""));
    case "string": return text;
  }
}

/** `:"a b"` and `:'a'` name the quoted text (anything after the closing quote is dropped, as in Psych). */
function symbol(text: string): RubySymbolValue {
  const quoted = /^:(["'])(.*)\1/.exec(text);
  return new RubySymbolValue(quoted ? quoted[2]!.replace(/^:/, "") : text.slice(1));
}

/**
 * Ruby's strict `Float(string)`, which Psych calls for floats and `!!float`: decimal with single underscores
 * between digits (`.5` yes, `5.` no) or hex (`0x1F`, `0x1.8p1`), surrounding whitespace allowed. Throws what Ruby raises.
 */
export function rubyFloat(text: string): number {
  const decimal = /^\s*([-+]?(?:\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?|\.\d+(?:_\d+)*)(?:[eE][-+]?\d+(?:_\d+)*)?)\s*$/.exec(text);
  if (decimal) return Number(decimal[1]!.replaceAll("_", ""));
  // Hex, with C99's binary exponent (`0x1.8p1` is 3.0); a hex fraction needs the exponent, as in Ruby.
  const hex = /^\s*([-+]?)0x([0-9a-f]+(?:_[0-9a-f]+)*)(?:(?:\.([0-9a-f]+))?p([-+]?\d+(?:_\d+)*))?\s*$/i.exec(text);
  if (hex) {
    const [, sign, whole, fraction = "", exponent = "0"] = hex;
    const mantissa = Number(BigInt(`0x${whole!.replaceAll("_", "")}${fraction}`)) / 16 ** fraction.length;
    return (sign === "-" ? -1 : 1) * mantissa * 2 ** Number(exponent.replaceAll("_", ""));
  }
  throw new ScalarError(`invalid value for Float(): ${JSON.stringify(text)}`);
}

// Psych weighs the parts as 60^|i-2|, so a two-part `22:22` is 22*3600 + 22*60 (not 22*60 + 22). Kamal users meet
// this with unquoted port pairs, hence the faithful (odd) arithmetic. Each part is read on its own (`to_i`/`to_f`),
// so a sign belongs to the first part only: `-1:30` is -3600 + 1800 = -1800.
const sexagesimalInteger = (text: string): bigint =>
  text.split(":").reduce((sum, part, i) => sum + toI(part) * 60n ** BigInt(Math.abs(i - 2)), 0n);
const sexagesimalFloat = (text: string): number =>
  text.split(":").reduce((sum, part, i) => sum + toF(part) * 60 ** Math.abs(i - 2), 0);

// String#to_i and #to_f: the leading number, underscores between digits allowed, base 10 whatever the zeros.
const toI = (part: string): bigint => BigInt(/^[-+]?\d+(?:_\d+)*/.exec(part)![0].replaceAll("_", "").replace(/^\+/, ""));
const toF = (part: string): number => Number(/^[-+]?\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?/.exec(part)![0].replaceAll("_", ""));

// Ruby's Integer(): a leading 0 means octal, 0b binary, 0x hex; every digit kept.
function parseInteger(text: string): number | RubyBignum {
  const negative = text.startsWith("-");
  const digits = text.replace(/^[-+]/, "");
  const octal = digits.length > 1 && digits.startsWith("0") && !/^0[bx]/i.test(digits);
  const value = BigInt(octal ? `0o${digits.slice(1)}` : digits);
  return rubyInteger(negative ? -value : value);
}

function parseDate(text: string): Date {
  const [y, m, d] = text.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

/**
 * Psych's parse_time: the fields as written, rolled over as Time.utc rolls them (a 30th of February is the 1st of
 * March). No zone is the same instant as UTC (`Time.at(time.to_i, us)`); an offset may be written `+1`, `+01`,
 * `+0100` or `+01:00`.
 */
function parseTime(text: string): Date {
  const [, y, mo, d, h, mi, s, fraction = "", zone] = TIME.exec(text)!;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(fraction.padEnd(3, "0").slice(0, 3)));
  return new Date(utc - offsetMinutes(zone) * 60_000);
}

function offsetMinutes(zone: string | undefined): number {
  const m = zone === undefined || zone === "Z" ? undefined : /^([-+])(\d{1,2}):?(\d\d)?$/.exec(zone);
  if (!m) return 0;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}
