/**
 * What Ruby's YAML reader (Psych's ScalarScanner#tokenize, lib/psych/scalar_scanner.rb) makes of a plain scalar.
 * One port, asked twice: the loader turns each kind into its value (config/yaml-scalar.ts), and the printer quotes a
 * string that would read back as another kind (output/yaml-text.ts), as Psych's dumper asks tokenize before it
 * writes a string bare. Ruby's quirks are kept: a "date" that is not a real day stays a string; an integer may hold
 * commas. Ruby's `^` and `$` match at every line: BOL and EOL below.
 */
export type PlainToken =
  | "null" | "true" | "false" | "time" | "date" | "+inf" | "-inf" | "nan" | "symbol"
  | "sexagesimal-integer" | "sexagesimal-float" | "float" | "integer" | "string";

const BOL = String.raw`(?<![^\n])`;
const EOL = String.raw`(?![^\n])`;
const SPACE = String.raw`[ \t\n\v\f\r]`; // Ruby's \s
const ruby = (source: string, flags = "") => new RegExp(source, `${flags}u`);

// [[:alpha:]] is Unicode's Alphabetic property in Ruby. Anchored at the start only, so `a1` or `web-1` are words.
const WORDISH = ruby(String.raw`${BOL}[^\d.:\-]?[\p{Alphabetic}_ \t\n\v\f\r!@#$%\^&*(){}<>|\/\\~;=]+`);
const NOT_YTONF = ruby(`${BOL}[^ytonf~]`, "i");
const NULL = ruby(`${BOL}null${EOL}`, "i");
const TRUE = ruby(`${BOL}(?:yes|true|on)${EOL}`, "i");
const FALSE = ruby(`${BOL}(?:no|false|off)${EOL}`, "i");
/** year, month, day, hour, minute, second, fraction, zone */
export const TIME = ruby(String.raw`${BOL}(-?\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|${SPACE}+)(\d{1,2}):(\d\d):(\d\d)(?:\.(\d*))?(?:${SPACE}*(Z|[\-+]\d{1,2}:?(?:\d\d)?))?${EOL}`);
const DATE = ruby(String.raw`${BOL}(\d{4})-(1[012]|0\d|\d)-([12]\d|3[01]|0\d|\d)${EOL}`);
const INFINITY = ruby(String.raw`${BOL}[\-+]?\.inf${EOL}`, "i");
const NAN = ruby(String.raw`${BOL}\.nan${EOL}`, "i");
const SYMBOL = ruby(`${BOL}:[^\\n]`); // Ruby's `.`
const SEXAGESIMAL_INTEGER = ruby(String.raw`${BOL}[\-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}${EOL}`);
const SEXAGESIMAL_FLOAT = ruby(String.raw`${BOL}[\-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}\.[0-9_]*${EOL}`);
const FLOAT = ruby(String.raw`${BOL}[\-+]?(?:[0-9][0-9_,]*)?\.[0-9]*(?:[eE][\-+][0-9]+)?${EOL}`);
const INTEGER = ruby(String.raw`${BOL}(?:[\-+]?0b[_,]*[01][01_,]*|[\-+]?0[_,]*[0-7][0-7_,]*|[\-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|[\-+]?0x[_,]*[0-9a-fA-F][0-9a-fA-F_,]*)${EOL}`);

export function scanPlain(text: string): PlainToken {
  if (text === "") return "null";
  if (WORDISH.test(text) || text.includes("\n")) {
    if ([...text].length > 5 || NOT_YTONF.test(text)) return "string";
    if (text === "~" || NULL.test(text)) return "null";
    return TRUE.test(text) ? "true" : FALSE.test(text) ? "false" : "string";
  }
  const time = TIME.exec(text);
  if (time) return timeExists(time.slice(1, 7).map(Number)) ? "time" : "string";
  const date = DATE.exec(text);
  if (date) return dateExists(Number(date[1]), Number(date[2]), Number(date[3])) ? "date" : "string";
  if (INFINITY.test(text)) return text.startsWith("-") ? "-inf" : "+inf";
  if (NAN.test(text)) return "nan";
  if (SYMBOL.test(text)) return "symbol";
  if (SEXAGESIMAL_INTEGER.test(text)) return "sexagesimal-integer";
  if (SEXAGESIMAL_FLOAT.test(text)) return "sexagesimal-float";
  // "." and "-." match the float pattern but Psych keeps them as strings.
  if (FLOAT.test(text)) return /^[-+]?\.$/.test(text) ? "string" : "float";
  return INTEGER.test(text) ? "integer" : "string";
}

/** What the printer needs to know: a bare string reads back as itself, as a Symbol, or as something else. */
export type PlainKind = "string" | "symbol" | "other";

export function plainKind(text: string): PlainKind {
  const token = scanPlain(text);
  return token === "string" || token === "symbol" ? token : "other";
}

/** Ruby's Time.utc rolls a 30th of February over to March but refuses a 32nd day or a 25th hour. */
function timeExists([, month, day, hour, minute, second]: number[]): boolean {
  return month! >= 1 && month! <= 12 && day! >= 1 && day! <= 31 && hour! <= 24 && minute! <= 59 && second! <= 60;
}

/** Date.strptime with '%F' refuses a day the Gregorian calendar does not have. */
function dateExists(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  date.setUTCFullYear(year);
  return month >= 1 && day >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
