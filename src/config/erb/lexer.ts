// Tokens of the small Ruby subset that deploy.yml templates use (see translate.ts for what is accepted).

export type StringPart = { readonly lit: string } | { readonly code: string; readonly offset: number };

export type Token = { readonly start: number; readonly end: number; readonly spaceBefore: boolean } & (
  | { readonly t: "str" | "xstr"; readonly parts: readonly StringPart[] }
  | { readonly t: "words"; readonly words: readonly string[] }
  | { readonly t: "num"; readonly v: string; readonly float: boolean }
  | { readonly t: "regexp"; readonly parts: readonly StringPart[]; readonly flags: string }
  | { readonly t: "sym" | "ident" | "const" | "kw" | "op"; readonly v: string }
  | { readonly t: "eof" }
);

type TokenBody = Token extends infer T ? (T extends Token ? Omit<T, "start" | "end" | "spaceBefore"> : never) : never;

export class LexError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

const KEYWORDS = new Set(["if", "unless", "elsif", "else", "end", "do", "then", "nil", "true", "false", "and", "or", "not", "rescue", "begin", "ensure"]);
// Longest first, so `||` wins over `|`.
const OPERATORS = ["...", "..", "**", "::", "&.", "||=", "||", "&&", "==", "!=", "!~", "<=", ">=", "=>", "=~", "+=", "!", "?", ":", "=", "<", ">",
  "+", "-", "*", "/", "%", ".", ",", "(", ")", "[", "]", "{", "}", "|", "&", ";", "\n"];
const CLOSERS: Record<string, string> = { "(": ")", "[": "]", "{": "}", "<": ">" };

export function lex(src: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let space = false;
  const push = (token: TokenBody, start: number) => {
    tokens.push({ ...token, start, end: pos, spaceBefore: space } as Token);
    space = false;
  };
  while (pos < src.length) {
    const c = src[pos]!;
    const start = pos;
    if (c === " " || c === "\t" || c === "\r" || (c === "\\" && src[pos + 1] === "\n")) {
      pos += c === "\\" ? 2 : 1;
      space = true;
    } else if (c === "#") {
      while (pos < src.length && src[pos] !== "\n") pos++;
    } else if (c === '"' || c === "`") {
      const { parts, end } = quoted(src, pos + 1, c, true);
      pos = end;
      push({ t: c === "`" ? "xstr" : "str", parts }, start);
    } else if (c === "'") {
      const { parts, end } = quoted(src, pos + 1, "'", false);
      pos = end;
      push({ t: "str", parts }, start);
    } else if (c === "/" && regexpAllowed(tokens, space, src, pos)) {
      const { parts, end } = quoted(src, pos + 1, "/", "regexp");
      const flags = /^[a-z]*/.exec(src.slice(end))![0];
      pos = end + flags.length;
      push({ t: "regexp", parts, flags }, start);
    } else if (c === "%" && /^%[xwqQr]?[([{<|!/]/.test(src.slice(pos, pos + 3)) && !valueBefore(tokens)) {
      const kind = /[xwqQr]/.test(src[pos + 1]!) ? src[pos + 1]! : "Q";
      const openAt = pos + (kind === src[pos + 1] ? 2 : 1);
      const open = src[openAt]!;
      const mode = kind === "r" ? "regexp" : kind !== "q" && kind !== "w";
      const { parts, end } = quoted(src, openAt + 1, CLOSERS[open] ?? open, mode, CLOSERS[open] ? open : undefined);
      pos = end;
      if (kind === "w") push({ t: "words", words: literal(parts).trim().split(/\s+/).filter(Boolean) }, start);
      else if (kind === "r") {
        const flags = /^[a-z]*/.exec(src.slice(end))![0];
        pos += flags.length;
        push({ t: "regexp", parts, flags }, start);
      } else push({ t: kind === "x" ? "xstr" : "str", parts }, start);
    } else if (/[0-9]/.test(c)) {
      const m = /^(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|[0-9][0-9_]*(\.[0-9][0-9_]*)?([eE][-+]?[0-9]+)?)/.exec(src.slice(pos))!;
      pos += m[0].length;
      const digits = m[0].replaceAll("_", "");
      const float = m[1] !== undefined || m[2] !== undefined;
      // Ruby reads a leading 0 as octal (0755 is 493).
      push({ t: "num", v: !float && /^0[0-7]+$/.test(digits) ? `0o${digits.slice(1)}` : digits, float }, start);
    } else if (c === ":" && /[A-Za-z_"]/.test(src[pos + 1] ?? "") && !(src[pos + 1] === ":")) {
      if (src[pos + 1] === '"') {
        const { parts, end } = quoted(src, pos + 2, '"', false);
        pos = end;
        push({ t: "sym", v: literal(parts) }, start);
      } else {
        const m = /^[A-Za-z_][A-Za-z0-9_]*[?!]?/.exec(src.slice(pos + 1))!;
        pos += 1 + m[0].length;
        push({ t: "sym", v: m[0] }, start);
      }
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*(?:[?!](?![=~]))?/.exec(src.slice(pos))!;
      pos += m[0].length;
      const word = m[0];
      push({ t: KEYWORDS.has(word) ? "kw" : /^[A-Z]/.test(word) ? "const" : "ident", v: word }, start);
    } else {
      const op = OPERATORS.find((o) => src.startsWith(o, pos));
      if (!op) throw new LexError(`unexpected character ${JSON.stringify(c)}`, pos);
      pos += op.length;
      push({ t: "op", v: op }, start);
    }
  }
  tokens.push({ t: "eof", start: src.length, end: src.length, spaceBefore: space });
  return tokens;
}

// `%` after a value is the modulo operator, not a %-literal.
function valueBefore(tokens: Token[]): boolean {
  const last = tokens.at(-1);
  if (!last) return false;
  if (last.t === "op") return last.v === ")" || last.v === "]" || last.v === "}";
  return last.t !== "kw" || ["end", "nil", "true", "false"].includes(last.v);
}

/**
 * Whether `/` starts a regular expression: where a value is expected, or after a method name with a space before
 * and none after (`split /,/`). After a bare name Ruby decides by whether the name is a local variable (then it
 * divides); the lexer cannot know, so that spelling is refused.
 */
function regexpAllowed(tokens: Token[], spaceBefore: boolean, src: string, pos: number): boolean {
  const next = src[pos + 1];
  const last = tokens.at(-1);
  if (!last) return true;
  if (last.t === "op") return ![")", "]", "}"].includes(last.v);
  if (last.t === "kw") return !["end", "nil", "true", "false"].includes(last.v);
  if (last.t === "ident" && spaceBefore && next !== " " && next !== "=") {
    throw new LexError("ambiguous `/` after a name: write method(/regexp/) or a / b", pos);
  }
  return false;
}

function literal(parts: readonly StringPart[]): string {
  return parts.map((p) => ("lit" in p ? p.lit : "")).join("");
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", s: " ", r: "\r", "0": "\0", e: "\x1b", a: "\x07", b: "\b", f: "\f", v: "\v" };

/**
 * Reads a quoted body up to `close`. `true` enables `#{...}` and backslash escapes as in Ruby's "…"; "regexp"
 * enables `#{...}` but keeps backslashes for the regexp (only an escaped delimiter loses its backslash).
 */
function quoted(src: string, from: number, close: string, mode: boolean | "regexp", nestOpen?: string): { parts: StringPart[]; end: number } {
  const interpolate = mode !== false;
  const parts: StringPart[] = [];
  let lit = "";
  let depth = 0;
  let pos = from;
  while (pos < src.length) {
    const c = src[pos]!;
    if (c === "\\") {
      const next = src[pos + 1] ?? "";
      if (mode === "regexp") {
        lit += next === close && !/[A-Za-z0-9]/.test(next) ? next : `\\${next}`;
      } else if (interpolate) {
        const unicode = /^u\{([0-9a-fA-F]+)\}|^u([0-9a-fA-F]{4})/.exec(src.slice(pos + 1));
        if (unicode) {
          lit += String.fromCodePoint(parseInt(unicode[1] ?? unicode[2]!, 16));
          pos += 1 + unicode[0].length;
          continue;
        }
        lit += ESCAPES[next] ?? next;
      } else {
        lit += next === close || next === "\\" ? next : `\\${next}`;
      }
      pos += 2;
    } else if (nestOpen && c === nestOpen) {
      depth++;
      lit += c;
      pos++;
    } else if (c === close && depth > 0) {
      depth--;
      lit += c;
      pos++;
    } else if (c === close) {
      if (lit) parts.push({ lit });
      return { parts, end: pos + 1 };
    } else if (interpolate && c === "#" && src[pos + 1] === "{") {
      if (lit) parts.push({ lit });
      lit = "";
      const end = matchingBrace(src, pos + 2);
      parts.push({ code: src.slice(pos + 2, end), offset: pos + 2 });
      pos = end + 1;
    } else {
      lit += c;
      pos++;
    }
  }
  throw new LexError(`unterminated string (missing ${close})`, from - 1);
}

function matchingBrace(src: string, from: number): number {
  let depth = 0;
  for (let pos = from; pos < src.length; pos++) {
    const c = src[pos];
    if (c === "{") depth++;
    else if (c === "}" && depth === 0) return pos;
    else if (c === "}") depth--;
    else if (c === '"' || c === "'") pos = quoted(src, pos + 1, c, c === '"').end - 1;
  }
  throw new LexError("unterminated #{ interpolation", from - 2);
}
