/**
 * What Ruby's YAML reader (Psych's ScalarScanner, lib/psych/scalar_scanner.rb) makes of a plain scalar: a string,
 * or another type. Psych's dumper asks the same question before it writes a string unquoted, so `sextant config`
 * needs the exact answer, including Ruby's quirks (a "date" that is not a real day stays a string; an integer may
 * hold commas). Ruby's `^` and `$` match at every line: BOL and EOL below.
 */
export type PlainKind = "string" | "symbol" | "other";

const BOL = String.raw`(?<![^\n])`;
const EOL = String.raw`(?![^\n])`;
const SPACE = String.raw`[ \t\n\v\f\r]`; // Ruby's \s
const ruby = (source: string, flags = "") => new RegExp(source, `${flags}u`);

// [[:alpha:]] is Unicode's Alphabetic property in Ruby.
const STRINGISH = ruby(String.raw`${BOL}[^\d.:\-]?[\p{Alphabetic}_ \t\n\v\f\r!@#$%\^&*(){}<>|\/\\~;=]+`);
const NOT_YTONF = ruby(`${BOL}[^ytonf~]`, "i");
const NULL = ruby(`${BOL}null${EOL}`, "i");
const BOOLEAN = ruby(`${BOL}(?:yes|true|on|no|false|off)${EOL}`, "i");
const TIME = ruby(String.raw`${BOL}-?(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|${SPACE}+)(\d{1,2}):(\d\d):(\d\d)(?:\.\d*)?(?:${SPACE}*(?:Z|[\-+]\d{1,2}:?(?:\d\d)?))?${EOL}`);
const DATE = ruby(String.raw`${BOL}(\d{4})-(1[012]|0\d|\d)-([12]\d|3[01]|0\d|\d)${EOL}`);
const SPECIAL_FLOAT = ruby(String.raw`${BOL}(?:[\-+]?\.inf|\.nan)${EOL}`, "i");
const SYMBOL = ruby(`${BOL}:[^\\n]`); // Ruby's `.`
const SEXAGESIMAL = ruby(String.raw`${BOL}[\-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}(?:\.[0-9_]*)?${EOL}`);
const FLOAT = ruby(String.raw`${BOL}[\-+]?(?:[0-9][0-9_,]*)?\.[0-9]*(?:[eE][\-+][0-9]+)?${EOL}`);
const INTEGER = ruby(String.raw`${BOL}(?:[\-+]?0b[_,]*[01][01_,]*|[\-+]?0[_,]*[0-7][0-7_,]*|[\-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|[\-+]?0x[_,]*[0-9a-fA-F][0-9a-fA-F_,]*)${EOL}`);

export function plainKind(text: string): PlainKind {
  if (text === "") return "other"; // nil
  if (STRINGISH.test(text) || text.includes("\n")) {
    if ([...text].length > 5 || NOT_YTONF.test(text)) return "string";
    return text === "~" || NULL.test(text) || BOOLEAN.test(text) ? "other" : "string";
  }
  const time = TIME.exec(text);
  if (time) return timeExists(time.slice(1).map(Number)) ? "other" : "string";
  const date = DATE.exec(text);
  if (date) return dateExists(Number(date[1]), Number(date[2]), Number(date[3])) ? "other" : "string";
  if (SPECIAL_FLOAT.test(text)) return "other";
  if (SYMBOL.test(text)) return "symbol";
  if (SEXAGESIMAL.test(text)) return "other";
  // "." and "-." match the float pattern but Psych keeps them as strings.
  if (FLOAT.test(text)) return /^[-+]?\.$/.test(text) ? "string" : "other";
  return INTEGER.test(text) ? "other" : "string";
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
