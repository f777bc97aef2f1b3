// Resolves a plain (unquoted, untagged) YAML scalar the way Ruby's Psych does (psych lib/psych/scalar_scanner.rb,
// `tokenize`, with the default non-strict integers). Kamal loads deploy.yml with Psych, so these YAML 1.1 rules
// decide what a value *is*: `yes` is true, `0755` is 493, `22:22` is 80520, `y` stays a string, `3.0` is a Float
// (a RubyFloat, printed "3.0"), `:info` a Symbol (printed "info"). See ruby-scalar.ts.
import { RubyFloat, RubySymbolValue, rubyInteger, type RubyBignum } from "../ruby-scalar.ts";

/** A value Psych would raise on while loading (Kamal stops there too), e.g. `!!float abc`. */
export class ScalarError extends Error {}

const TIME = /^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$/;
const DATE = /^\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d)$/;
const FLOAT = /^(?:[-+]?([0-9][0-9_,]*)?\.[0-9]*([eE][-+][0-9]+)?)$/;
const INTEGER = /^(?:[-+]?0b[_,]*[0-1][0-1_,]*|[-+]?0[_,]*[0-7][0-7_,]*|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|[-+]?0x[_,]*[0-9a-fA-F][0-9a-fA-F_,]*)$/;
// Psych's "looks like a word" test: anchored at the start only, so `a1` or `web-1` are strings at once.
const WORDISH = /^[^\d.:-]?[\p{L}_\s!@#$%^&*(){}<>|/\\~;=]+/u;
const SEXAGESIMAL_INT = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}$/;
const SEXAGESIMAL_FLOAT = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}\.[0-9_]*$/;

export type PlainScalar = string | number | boolean | null | Date | RubyFloat | RubyBignum | RubySymbolValue;

export function resolvePlainScalar(text: string): PlainScalar {
  if (text === "") return null;
  if (WORDISH.test(text) || text.includes("\n")) return resolveWord(text);
  if (TIME.test(text)) return parseTime(text) ?? text;
  if (DATE.test(text)) return parseDate(text) ?? text;
  if (/^\+?\.inf$/i.test(text)) return new RubyFloat(Infinity);
  if (/^-\.inf$/i.test(text)) return new RubyFloat(-Infinity);
  if (/^\.nan$/i.test(text)) return new RubyFloat(NaN);
  if (/^:./.test(text)) return symbol(text);
  if (SEXAGESIMAL_INT.test(text)) return rubyInteger(sexagesimalInteger(text));
  if (SEXAGESIMAL_FLOAT.test(text)) return new RubyFloat(sexagesimalFloat(text));
  if (FLOAT.test(text)) return /^[-+]?\.$/.test(text) ? text : new RubyFloat(rubyFloat(text.replace(/[,_]/g, "").replace(/\.([Ee]|$)/, "$1")));
  if (INTEGER.test(text)) return parseInteger(text.replace(/[,_]/g, ""));
  return text;
}

/** `:"a b"` and `:'a'` name the quoted text (anything after the closing quote is dropped, as in Psych). */
function symbol(text: string): RubySymbolValue {
  const quoted = /^:(["'])(.*)\1/.exec(text);
  return new RubySymbolValue(quoted ? quoted[2]!.replace(/^:/, "") : text.slice(1));
}

/**
 * Ruby's strict `Float(string)`, which Psych calls for floats and `!!float`: decimal with single underscores
 * between digits (`.5` yes, `5.` no) or a hex integer, surrounding whitespace allowed. Throws what Ruby raises.
 */
export function rubyFloat(text: string): number {
  const decimal = /^\s*([-+]?(?:\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?|\.\d+(?:_\d+)*)(?:[eE][-+]?\d+(?:_\d+)*)?)\s*$/.exec(text);
  if (decimal) return Number(decimal[1]!.replaceAll("_", ""));
  const hex = /^\s*([-+]?)0x([0-9a-f]+(?:_[0-9a-f]+)*)\s*$/i.exec(text);
  if (hex) return (hex[1] === "-" ? -1 : 1) * Number(BigInt(`0x${hex[2]!.replaceAll("_", "")}`));
  throw new ScalarError(`invalid value for Float(): ${JSON.stringify(text)}`);
}

function resolveWord(text: string): PlainScalar {
  if (text.length > 5 || /^[^ytonf~]/i.test(text)) return text;
  if (text === "~" || /^null$/i.test(text)) return null;
  if (/^(yes|true|on)$/i.test(text)) return true;
  if (/^(no|false|off)$/i.test(text)) return false;
  return text;
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

function parseDate(text: string): Date | undefined {
  const [y, m, d] = text.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 ? date : undefined;
}

function parseTime(text: string): Date | undefined {
  const match = /^(-?\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|\s+)(\d{1,2}):(\d\d):(\d\d)(?:\.(\d*))?\s*(Z|[-+]\d{1,2}:?(?:\d\d)?)?$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const iso = `${y}-${mo!.padStart(2, "0")}-${d!.padStart(2, "0")}T${h!.padStart(2, "0")}:${mi}:${s}` +
    `${frac ? `.${frac.padEnd(3, "0").slice(0, 3)}` : ""}${isoZone(zone)}`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

// No zone means local time in Psych; an offset may be written `+1`, `+01`, `+0100` or `+01:00`.
function isoZone(zone: string | undefined): string {
  if (zone === undefined) return "";
  if (zone === "Z") return "Z";
  const m = /^([-+])(\d{1,2}):?(\d\d)?$/.exec(zone);
  return m ? `${m[1]}${m[2]!.padStart(2, "0")}:${m[3] ?? "00"}` : "";
}
