// String and Regexp methods with Ruby's meaning: split drops trailing empty fields, `" "` splits like awk, gsub
// replacements use `\1` and `\0` (never JavaScript's `$1`), scan returns the matches or their groups.
import { RubyRegexp } from "./regexp.ts";
import { int, isNil, NotTranslated, RubyError, RubySymbol, str, toF, toI, toS } from "./ruby-values.ts";

type Block = (...args: unknown[]) => Promise<unknown>;
const ASCII_SPACE = /^[ \t\n\v\f\r\0]+|[ \t\n\v\f\r\0]+$/g;

/** A String or Regexp argument as a global JavaScript RegExp matching what Ruby would. */
function pattern(p: unknown, method: string): RegExp {
  if (p instanceof RubyRegexp) return p.js(true);
  return new RegExp(str(p, method).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "g");
}

/** String#split: none or " " splits awk-style on whitespace runs; trailing empty fields are dropped. */
function split(s: string, sep: unknown, limit: unknown): string[] {
  if (limit !== undefined) throw new NotTranslated("String#split with a limit");
  const awk = isNil(sep) || sep === " ";
  const fields = awk ? s.replace(/^[ \t\n\v\f\r]+/, "").split(/[ \t\n\v\f\r]+/) : s.split(sep instanceof RubyRegexp ? sep.js() : str(sep, "split"));
  while (fields.length > 0 && fields.at(-1) === "") fields.pop();
  return fields;
}

/** Ruby's replacement string: `\0` `\&` the match, `\1`..`\9` groups, `\k<name>`, `` \` `` and `\'` around, `\\`. */
function expand(replacement: string, match: RegExpExecArray): string {
  return replacement.replace(/\\(?:(\d)|k<(\w+)>|([&`'\\]))/g, (whole, digit: string | undefined, name: string | undefined, sym: string | undefined) => {
    if (digit !== undefined) return match[Number(digit)] ?? "";
    if (name !== undefined) return match.groups?.[name] ?? "";
    if (sym === "&") return match[0];
    if (sym === "`") return match.input.slice(0, match.index);
    if (sym === "'") return match.input.slice(match.index + match[0].length);
    return sym === "\\" ? "\\" : whole;
  });
}

async function substitute(s: string, args: unknown[], block: Block | undefined, global: boolean, method: string): Promise<string> {
  const [from, to] = args;
  if (args.length > 2 || (to === undefined && !block) || to instanceof Map) throw new NotTranslated(`String#${method} with these arguments`);
  const re = pattern(from, method);
  let out = "";
  let last = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    out += s.slice(last, m.index) + (to !== undefined ? expand(str(to, method), m) : toS(await block!(m[0])));
    last = m.index + m[0].length;
    if (m[0] === "") re.lastIndex++;
    if (!global) break;
  }
  return out + s.slice(last);
}

function scan(s: string, p: unknown): unknown[] {
  return [...s.matchAll(pattern(p, "scan"))].map((m) => (m.length > 1 ? m.slice(1).map((g) => g ?? null) : m[0]));
}

/** String#tr with ranges (`a-z`); `^` negation is left to Ruby. */
function tr(s: string, from: unknown, to: unknown): string {
  const expandSet = (set: string) => set.replace(/(.)-(.)/g, (_, a: string, b: string) =>
    Array.from({ length: Math.max(0, b.charCodeAt(0) - a.charCodeAt(0) + 1) }, (__, i) => String.fromCharCode(a.charCodeAt(0) + i)).join(""));
  const f = str(from, "tr");
  if (f.startsWith("^") && f.length > 1) throw new NotTranslated("String#tr with a negated set");
  const source = [...expandSet(f)];
  const target = [...expandSet(str(to, "tr"))];
  return [...s].map((c) => {
    const i = source.lastIndexOf(c);
    if (i < 0) return c;
    return target.length === 0 ? "" : target[Math.min(i, target.length - 1)];
  }).join("");
}

/** String#=~ and Regexp#=~: the index of the first match, or nil. */
export function match(a: unknown, b: unknown): bigint | null {
  const [s, re] = typeof a === "string" && b instanceof RubyRegexp ? [a, b] : a instanceof RubyRegexp && (typeof b === "string" || isNil(b)) ? [b, a] : [undefined, undefined];
  if (re === undefined) {
    if (typeof a === "string" && typeof b === "string") throw new RubyError("wrong argument type String (expected Regexp)", "TypeError");
    throw new NotTranslated(`${typeof a === "string" ? "String" : "this value"}#=~`);
  }
  if (isNil(s)) return null;
  const m = re.js().exec(s);
  return m ? BigInt([...s.slice(0, m.index)].length) : null;
}

export const strings: Record<string, (s: string, args: unknown[], block: Block | undefined) => unknown> = {
  to_i: (s) => toI(s),
  to_f: (s) => toF(s),
  to_str: (s) => s,
  to_sym: (s) => RubySymbol.of(s),
  strip: (s) => s.replace(ASCII_SPACE, ""),
  lstrip: (s) => s.replace(/^[ \t\n\v\f\r\0]+/, ""),
  rstrip: (s) => s.replace(/[ \t\n\v\f\r\0]+$/, ""),
  chomp: (s, [suffix]) => (suffix !== undefined ? (s.endsWith(str(suffix, "chomp")) ? s.slice(0, s.length - (suffix as string).length) : s) : s.replace(/(\r\n|\n|\r)$/, "")),
  chop: (s) => s.replace(/(\r\n|[\s\S])$/, ""),
  downcase: (s) => s.toLowerCase(),
  upcase: (s) => s.toUpperCase(),
  capitalize: (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  reverse: (s) => [...s].reverse().join(""),
  split: (s, [sep, limit]) => split(s, sep, limit),
  lines: (s) => s.split(/(?<=\n)/).filter(Boolean),
  chars: (s) => [...s],
  "include?": (s, [x]) => s.includes(str(x, "include?")),
  "start_with?": (s, args) => args.some((a) => (a instanceof RubyRegexp ? a.js().exec(s)?.index === 0 : s.startsWith(str(a, "start_with?")))),
  "end_with?": (s, args) => args.some((a) => s.endsWith(str(a, "end_with?"))),
  "empty?": (s) => s.length === 0,
  "match?": (s, [p]) => pattern(p, "match?").test(s),
  length: (s) => BigInt([...s].length),
  size: (s) => BigInt([...s].length),
  gsub: (s, args, block) => substitute(s, args, block, true, "gsub"),
  sub: (s, args, block) => substitute(s, args, block, false, "sub"),
  scan: (s, [p]) => scan(s, p),
  tr: (s, [from, to]) => tr(s, from, to),
  delete_prefix: (s, [p]) => (s.startsWith(str(p, "delete_prefix")) ? s.slice((p as string).length) : s),
  delete_suffix: (s, [p]) => (s.endsWith(str(p, "delete_suffix")) ? s.slice(0, s.length - (p as string).length) : s),
  squeeze: (s, args) => {
    if (args.length > 0) throw new NotTranslated("String#squeeze with a set");
    return s.replace(/([\s\S])\1+/g, "$1");
  },
  first: (s, [n]) => [...s].slice(0, n === undefined ? 1 : int(n, "first")).join(""),
  last: (s, [n]) => (n === undefined ? [...s].slice(-1).join("") : int(n, "last") === 0 ? "" : [...s].slice(-int(n, "last")).join("")),
};

/** String#[]: an index, a substring test or a regexp (with an optional group). */
export function stringIndex(s: string, args: unknown[]): unknown {
  const [i, group] = args;
  if (typeof i === "bigint" && args.length === 1) return [...s].at(Number(i)) ?? null;
  if (typeof i === "string" && args.length === 1) return s.includes(i) ? i : null;
  if (i instanceof RubyRegexp) {
    const m = i.js().exec(s);
    if (!m) return null;
    const g = group === undefined ? 0 : typeof group === "bigint" ? Number(group) : undefined;
    if (g === undefined) return m.groups?.[toS(group)] ?? null;
    return m[g] ?? null;
  }
  throw new NotTranslated("String#[] with these arguments");
}
