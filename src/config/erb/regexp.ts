// Ruby regular expressions (Onigmo) as JavaScript RegExps with the same matches. The syntax mostly agrees; where
// it does not, the pattern is rewritten: Ruby's `^`/`$` are always line anchors and `\A`/`\z` the string's ends,
// `.` never matches a newline unless the `m` flag is set (JavaScript's also skips \r, U+2028, U+2029), `\s` is
// ASCII whitespace only, `\h` is a hex digit. Constructs JavaScript has no equivalent for (possessive quantifiers,
// atomic groups, `\G`, inline options, ...) are refused rather than approximated.

export class RegexpSyntaxUnsupported extends Error {}

const SPACE = " \\t\\n\\v\\f\\r";
const ESCAPES: Record<string, string> = {
  s: `[${SPACE}]`, S: `[^${SPACE}]`, d: "[0-9]", D: "[^0-9]", w: "[A-Za-z0-9_]", W: "[^A-Za-z0-9_]",
  h: "[0-9a-fA-F]", H: "[^0-9a-fA-F]", A: "(?<![\\s\\S])", z: "(?![\\s\\S])", Z: "(?=\\n?(?![\\s\\S]))",
  b: "\\b", B: "\\B", n: "\\n", t: "\\t", r: "\\r", f: "\\f", v: "\\v", e: "\\x1b", a: "\\x07", "0": "\\0",
};
const CLASS_ESCAPES: Record<string, string> = { s: SPACE, d: "0-9", w: "A-Za-z0-9_", h: "0-9a-fA-F", n: "\\n", t: "\\t", r: "\\r", f: "\\f", v: "\\v", e: "\\x1b", a: "\\x07" };
const POSIX: Record<string, string> = {
  alpha: "A-Za-z", digit: "0-9", alnum: "A-Za-z0-9", upper: "A-Z", lower: "a-z", space: SPACE, xdigit: "0-9A-Fa-f",
  punct: "!-\\/:-@\\[-`{-~", word: "A-Za-z0-9_", blank: " \\t", cntrl: "\\x00-\\x1f\\x7f", print: " -~", graph: "!-~",
};

export class RubyRegexp {
  /** as written between the slashes */
  readonly source: string;
  /** Ruby's flags among i, m, x as written */
  readonly flags: string;
  readonly #js: RegExp;

  constructor(source: string, flags: string) {
    for (const flag of flags) if (flag !== "i" && flag !== "m") throw new RegexpSyntaxUnsupported(`the /${flag} flag`);
    this.source = source;
    this.flags = flags;
    this.#js = new RegExp(translate(source, flags.includes("m")), flags.includes("i") ? "i" : "");
  }

  /** A fresh JavaScript RegExp (with `g` for scanning), so that no lastIndex is shared between uses. */
  js(global = false): RegExp {
    return new RegExp(this.#js.source, this.#js.flags + (global ? "g" : ""));
  }

  /** Regexp#to_s: `(?m-ix:source)` */
  toS(): string {
    const on = ["m", "i", "x"].filter((f) => this.flags.includes(f)).join("");
    const off = ["m", "i", "x"].filter((f) => !this.flags.includes(f)).join("");
    return `(?${on}${off ? `-${off}` : ""}:${this.source})`;
  }
}

function translate(src: string, dotAll: boolean): string {
  let out = "";
  let inClass = false;
  let afterQuantifier = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    const quantifier: boolean = afterQuantifier;
    afterQuantifier = false;
    if (c === "\\") {
      const next = src[i + 1];
      if (next === undefined) throw new RegexpSyntaxUnsupported("a trailing backslash");
      i++;
      if (inClass && /[sdwhntrfvea]/.test(next)) out += CLASS_ESCAPES[next];
      else if (inClass && /[A-Za-z]/.test(next)) throw new RegexpSyntaxUnsupported(`\\${next} inside a character class`);
      else if (next in ESCAPES) out += ESCAPES[next];
      else if (/[1-9]/.test(next)) out += `\\${next}`;
      else if (next === "k" && src[i + 1] === "<") out += "\\k";
      else if (next === "x" && /^[0-9a-fA-F]{2}/.test(src.slice(i + 1))) out += "\\x";
      else if (next === "u" && /^[0-9a-fA-F]{4}/.test(src.slice(i + 1))) out += "\\u";
      else if (/[A-Za-z]/.test(next)) throw new RegexpSyntaxUnsupported(`\\${next}`);
      else out += `\\${next}`;
    } else if (inClass) {
      if (c === "]") inClass = false;
      if (c === "[" && src[i + 1] === ":") {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
        const set = m ? POSIX[m[2]!] : undefined;
        if (!m || set === undefined || m[1]) throw new RegexpSyntaxUnsupported(`the character class ${m?.[0] ?? "[:"}`);
        out += set;
        i += m[0].length - 1;
        continue;
      }
      if (c === "[" || (c === "&" && src[i + 1] === "&")) throw new RegexpSyntaxUnsupported("nested character classes");
      out += c;
    } else if (c === "[") {
      inClass = true;
      out += c;
      if (src[i + 1] === "^") out += src[++i];
      if (src[i + 1] === "]") throw new RegexpSyntaxUnsupported("a character class starting with ]");
    } else if (c === ".") {
      out += dotAll ? "[\\s\\S]" : "[^\\n]";
    } else if (c === "^") {
      out += "(?<![^\\n])";
    } else if (c === "$") {
      out += "(?![^\\n])";
    } else if (c === "(") {
      const group = /^\((?:\?(?::|=|!|<=|<!|<[A-Za-z_]\w*>|'[A-Za-z_]\w*'))?/.exec(src.slice(i))?.[0] ?? "(";
      if (group === "(" && src[i + 1] === "?") throw new RegexpSyntaxUnsupported(`the group ${src.slice(i, i + 3)}`);
      out += group.replace(/^\(\?'(\w+)'$/, "(?<$1>");
      i += group.length - 1;
    } else if (c === "*" || c === "+" || c === "?" || c === "{") {
      if (quantifier && c === "+") throw new RegexpSyntaxUnsupported("possessive quantifiers (*+, ++, ?+)");
      const interval = c === "{" ? /^\{(\d*)(,?)(\d*)\}/.exec(src.slice(i)) : null;
      if (c === "{" && !interval) {
        out += "\\{";
        continue;
      }
      if (interval) {
        out += `{${interval[1] || (interval[2] ? "0" : "")}${interval[2]}${interval[3]}}`;
        i += interval[0].length - 1;
      } else {
        out += c;
      }
      // A `?` after a quantifier makes it lazy (the same in both); a second quantifier after that is possessive.
      afterQuantifier = !(quantifier && c === "?");
    } else {
      out += c;
    }
  }
  if (inClass) throw new RegexpSyntaxUnsupported("an unterminated character class");
  return out;
}
