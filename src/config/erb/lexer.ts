// Tokens of the small Ruby subset that deploy.yml templates use (see translate.ts for what is accepted).

export type StringPart = { readonly lit: string } | { readonly code: string; readonly offset: number };

export type Token = { readonly start: number; readonly end: number; readonly spaceBefore: boolean } & (
  | { readonly t: "str" | "xstr"; readonly parts: readonly StringPart[] }
  | { readonly t: "words"; readonly words: readonly string[] }
  | { readonly t: "num"; readonly v: number }
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

const KEYWORDS = new Set(["if", "unless", "elsif", "else", "end", "do", "then", "nil", "true", "false", "and", "or", "not", "rescue"]);
// Longest first, so `||` wins over `|`.
const OPERATORS = ["...", "..", "**", "::", "&.", "||=", "||", "&&", "==", "!=", "<=", ">=", "=>", "=~", "+=", "!", "?", ":", "=", "<", ">",
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
    } else if (c === "%" && /^%[xwqQ]?[([{<|!/]/.test(src.slice(pos, pos + 3)) && !valueBefore(tokens)) {
      const kind = /[xwqQ]/.test(src[pos + 1]!) ? src[pos + 1]! : "Q";
      const openAt = pos + (kind === src[pos + 1] ? 2 : 1);
      const open = src[openAt]!;
      const { parts, end } = quoted(src, openAt + 1, CLOSERS[open] ?? open, kind !== "q" && kind !== "w", CLOSERS[open] ? open : undefined);
      pos = end;
      if (kind === "w") push({ t: "words", words: literal(parts).trim().split(/\s+/).filter(Boolean) }, start);
      else push({ t: kind === "x" ? "xstr" : "str", parts }, start);
    } else if (/[0-9]/.test(c)) {
      const m = /^(?:0x[0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9][0-9_]*)?)/.exec(src.slice(pos))!;
      pos += m[0].length;
      push({ t: "num", v: Number(m[0].replaceAll("_", "")) }, start);
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

/**
 * Whether code uses syntax that only Ruby has (string interpolation, commands, symbols, `do`/`end`, `::`), so that
 * running it as JavaScript instead would silently mean something else.
 */
export function hasRubyOnlySyntax(src: string): boolean {
  let tokens: Token[];
  try {
    tokens = lex(src);
  } catch {
    return false;
  }
  return tokens.some((t) =>
    ((t.t === "str" || t.t === "xstr") && (t.t === "xstr" || t.parts.some((p) => "code" in p))) ||
    t.t === "words" || t.t === "sym" ||
    (t.t === "kw" && ["do", "end", "elsif", "unless", "then", "nil", "and", "or", "not", "rescue"].includes(t.v)) ||
    (t.t === "op" && (t.v === "::" || t.v === "&." || t.v === "=~")));
}

// `%` after a value is the modulo operator, not a %-literal.
function valueBefore(tokens: Token[]): boolean {
  const last = tokens.at(-1);
  if (!last) return false;
  if (last.t === "op") return last.v === ")" || last.v === "]" || last.v === "}";
  return last.t !== "kw" || ["end", "nil", "true", "false"].includes(last.v);
}

function literal(parts: readonly StringPart[]): string {
  return parts.map((p) => ("lit" in p ? p.lit : "")).join("");
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", s: " ", r: "\r", "0": "\0", e: "\x1b", a: "\x07", b: "\b", f: "\f", v: "\v" };

/** Reads a quoted body up to `close`; `interpolate` enables `#{...}` and backslash escapes as in Ruby's "…". */
function quoted(src: string, from: number, close: string, interpolate: boolean, nestOpen?: string): { parts: StringPart[]; end: number } {
  const parts: StringPart[] = [];
  let lit = "";
  let depth = 0;
  let pos = from;
  while (pos < src.length) {
    const c = src[pos]!;
    if (c === "\\") {
      const next = src[pos + 1] ?? "";
      if (interpolate) {
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
