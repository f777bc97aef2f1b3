// The expression half of the Ruby-subset translator (see translate.ts): literals, operators with Ruby meaning,
// method calls with blocks, and the few constants a deploy.yml may use (ENV, File, Dir, Dotenv, Kamal::Utils).
// Every operation whose meaning differs between Ruby and JavaScript becomes a call into the runtime (`$rb`).
import { lex, LexError, type StringPart, type Token } from "./lexer.ts";
import { RegexpSyntaxUnsupported, RubyRegexp } from "./regexp.ts";

/** Code outside the subset: why, the whole construct as written, and where it starts in the tag's code. */
export class Unsupported extends Error {
  readonly construct: string;
  readonly offset: number;
  constructor(reason: string, construct: string, offset: number) {
    super(reason);
    this.construct = construct;
    this.offset = offset;
  }
}

/** What expressions need from the template being translated. */
export interface Names {
  isLocal(name: string): boolean;
  /** a fresh temporary for `||` and `&&`, declared once at the top of the template */
  temp(): string;
}

export const localName = (name: string) => `v_${name}`;

// Binary operators by precedence, loosest first.
const LEVELS: readonly (readonly string[])[] = [["..", "..."], ["||"], ["&&"], ["==", "!=", "=~", "!~"], ["<", "<=", ">", ">="], ["+", "-"], ["*", "/", "%"], ["**"]];

export class ExpressionParser {
  protected readonly tr: Names;
  protected readonly src: string;
  protected readonly line: number;
  protected readonly tokens: Token[];
  protected pos = 0;
  protected readonly scopes: string[][] = [];
  /** where `src` starts in the tag's code (an interpolation is parsed on its own) */
  readonly #base: number;

  constructor(tr: Names, src: string, line: number, base = 0) {
    this.tr = tr;
    this.src = src;
    this.line = line;
    this.#base = base;
    try {
      this.tokens = lex(src);
    } catch (err) {
      if (!(err instanceof LexError)) throw err;
      throw new Unsupported(err.message, lineFrom(src, err.offset), base + err.offset);
    }
  }

  /** A whole `<%= %>` tag: one expression, optionally with an `if`/`unless` modifier. */
  outputExpression(): string {
    this.skipNewlines();
    const value = this.modified(this.rescued(), (cond, expr) => `(${cond} ? ${expr} : null)`);
    this.skipNewlines();
    if (this.peek().t !== "eof") this.unsupported("expected the end of the expression");
    return value;
  }

  /** `expr rescue fallback`: the fallback when evaluating expr raises (ENV.fetch of an unset variable, nil.strip). */
  protected rescued(): string {
    const value = this.expr();
    if (!this.isKw("rescue")) return value;
    this.pos++;
    return `(await $rb.rescue(async () => ${value}, async () => ${this.expr()}))`;
  }

  /** `expr if cond` / `expr unless cond` */
  protected modified(code: string, wrap: (cond: string, code: string) => string): string {
    const tok = this.peek();
    if (tok.t !== "kw" || (tok.v !== "if" && tok.v !== "unless")) return code;
    this.pos++;
    const cond = `$rb.t(${this.expr()})`;
    return wrap(tok.v === "unless" ? `!${cond}` : cond, code);
  }

  protected expr(): string {
    let left = this.notExpr();
    for (;;) {
      const tok = this.peek();
      if (tok.t !== "kw" || (tok.v !== "and" && tok.v !== "or")) return left;
      this.pos++;
      this.skipNewlines();
      left = this.logical(tok.v === "and" ? "&&" : "||", left, this.notExpr());
    }
  }

  protected notExpr(): string {
    if (!this.isKw("not")) return this.ternary();
    this.pos++;
    return `!$rb.t(${this.notExpr()})`;
  }

  protected ternary(): string {
    const cond = this.binary(0);
    if (!this.isOp("?")) return cond;
    this.pos++;
    this.skipNewlines();
    const yes = this.ternary();
    this.skipNewlines();
    this.expect(":");
    this.skipNewlines();
    return `($rb.t(${cond}) ? ${yes} : ${this.ternary()})`;
  }

  protected logical(op: "&&" | "||", left: string, right: string): string {
    const t = this.tr.temp();
    return op === "||" ? `($rb.t(${t} = ${left}) ? ${t} : ${right})` : `(!$rb.t(${t} = ${left}) ? ${t} : ${right})`;
  }

  protected binary(level: number): string {
    if (level >= LEVELS.length) return this.unary();
    if (level === LEVELS.length - 1) return this.power(this.unary());
    let left = this.binary(level + 1);
    for (;;) {
      const tok = this.peek();
      if (tok.t !== "op" || !LEVELS[level]!.includes(tok.v)) return left;
      this.pos++;
      this.skipNewlines();
      const right = this.binary(level + 1);
      if (tok.v === "||" || tok.v === "&&") left = this.logical(tok.v, left, right);
      else if (tok.v === "==") left = `$rb.eq(${left}, ${right})`;
      else if (tok.v === "!=") left = `!$rb.eq(${left}, ${right})`;
      else if (tok.v === "=~") left = `$rb.match(${left}, ${right})`;
      else if (tok.v === "!~") left = `!$rb.t($rb.match(${left}, ${right}))`;
      else if (tok.v === "+") left = `$rb.plus(${left}, ${right})`;
      else if (tok.v === ".." || tok.v === "...") left = `$rb.range(${left}, ${right}, ${tok.v === "..."})`;
      else left = `$rb.op(${JSON.stringify(tok.v)}, ${left}, ${right})`;
    }
  }

  /** `**` is right-associative: `2 ** 3 ** 2` is 2 ** 9. */
  protected power(base: string): string {
    if (!this.isOp("**")) return base;
    this.pos++;
    this.skipNewlines();
    return `$rb.op("**", ${base}, ${this.power(this.unary())})`;
  }

  protected unary(): string {
    if (this.isOp("!")) {
      this.pos++;
      return `!$rb.t(${this.unary()})`;
    }
    if (this.isOp("-")) {
      this.pos++;
      // `-2 ** 2` is -(2 ** 2) in Ruby
      return `$rb.negate(${this.power(this.unary())})`;
    }
    return this.postfix(this.primary());
  }

  protected postfix(recv: string): string {
    for (;;) {
      const tok = this.peek();
      if (tok.t === "op" && (tok.v === "." || tok.v === "&.")) {
        this.pos++;
        this.skipNewlines();
        recv = this.call(recv, tok.v === "&.");
      } else if (tok.t === "op" && tok.v === "\n" && this.tokens[this.pos + 1]?.t === "op" && ["." , "&."].includes((this.tokens[this.pos + 1] as { v: string }).v)) {
        this.pos++;
      } else if (tok.t === "op" && tok.v === "[" && !tok.spaceBefore) {
        const args = this.args("[", "]");
        recv = `$rb.index(${recv}, [${args.join(", ")}])`;
      } else {
        return recv;
      }
    }
  }

  protected call(recv: string, safe: boolean): string {
    const name = this.peek();
    if (name.t !== "ident" && name.t !== "const") this.unsupported("expected a method name", name);
    this.pos++;
    const symbolBlock = this.symbolBlock();
    const args = symbolBlock ? [] : this.callArgs();
    const block = symbolBlock ?? this.inlineBlock();
    return `(await $rb.send(${recv}, ${JSON.stringify((name as { v: string }).v)}, [${args.join(", ")}], ${block}, ${safe}))`;
  }

  /** `(a, b)`, or Ruby's parenthesis-free `fetch "X", "d"` when a value follows on the same line. */
  protected callArgs(): string[] {
    const tok = this.peek();
    if (tok.t === "op" && tok.v === "(" && !tok.spaceBefore) return this.args("(", ")");
    const startsValue = ["str", "xstr", "num", "sym", "words", "const", "ident"].includes(tok.t) || (tok.t === "kw" && ["nil", "true", "false"].includes(tok.v));
    if (!startsValue || !tok.spaceBefore) return [];
    const args = [this.ternary()];
    while (this.isOp(",")) {
      this.pos++;
      this.skipNewlines();
      args.push(this.ternary());
    }
    return args;
  }

  /** `(&:strip)`: a block that calls the named method on its argument. */
  protected symbolBlock(): string | undefined {
    const [open, amp, sym, close] = this.tokens.slice(this.pos, this.pos + 4);
    const isOp = (t: Token | undefined, v: string) => t?.t === "op" && t.v === v;
    if (!isOp(open, "(") || open?.spaceBefore || !isOp(amp, "&") || sym?.t !== "sym" || !isOp(close, ")")) return undefined;
    this.pos += 4;
    return `async (x) => $rb.send(x, ${JSON.stringify(sym.v)}, [], undefined, false)`;
  }

  /** `{ |x| expr }` or `do |x| expr end` on one line, as a JS async function. */
  protected inlineBlock(): string {
    const tok = this.peek();
    const closer = tok.t === "op" && tok.v === "{" ? "}" : tok.t === "kw" && tok.v === "do" ? "end" : undefined;
    if (!closer) return "undefined";
    this.pos++;
    const params: string[] = [];
    if (this.isOp("|")) {
      this.pos++;
      while (!this.isOp("|")) {
        const p = this.peek();
        if (p.t !== "ident") this.unsupported("block parameters must be plain names", p);
        params.push((p as { v: string }).v);
        this.pos++;
        if (this.isOp(",")) this.pos++;
      }
      this.pos++;
    }
    this.scopes.push(params);
    this.skipNewlines();
    const body = this.isOp(closer) || this.isKw(closer) ? "null" : this.expr();
    this.skipNewlines();
    this.scopes.pop();
    if (!(this.isOp(closer) || this.isKw(closer))) this.unsupported(`expected ${closer} to close the block`);
    this.pos++;
    return `async (${params.map(localName).join(", ")}) => (${body})`;
  }

  protected args(open: string, close: string): string[] {
    this.expect(open);
    const args: string[] = [];
    this.skipNewlines();
    while (!this.isOp(close)) {
      args.push(this.expr());
      this.skipNewlines();
      if (this.isOp(",")) {
        this.pos++;
        this.skipNewlines();
      } else if (!this.isOp(close)) {
        this.unsupported(`expected , or ${close}`);
      }
    }
    this.pos++;
    return args;
  }

  protected primary(): string {
    const tok = this.peek();
    this.pos++;
    switch (tok.t) {
      case "str":
        return this.string(tok.parts);
      case "xstr":
        return `(await $rb.sh(${this.string(tok.parts)}))`;
      case "words":
        return JSON.stringify(tok.words);
      case "num":
        return tok.float ? tok.v : `${tok.v}n`;
      case "sym":
        return `$rb.sym(${JSON.stringify(tok.v)})`;
      case "regexp":
        return this.regexp(tok);
      case "kw":
        if (tok.v === "nil") return "null";
        if (tok.v === "true" || tok.v === "false") return tok.v;
        break;
      case "op":
        if (tok.v === "(") {
          this.skipNewlines();
          const inner = this.expr();
          this.skipNewlines();
          this.expect(")");
          return `(${inner})`;
        }
        if (tok.v === "[") {
          this.pos--;
          return `[${this.args("[", "]").join(", ")}]`;
        }
        if (tok.v === "{") return this.hash();
        break;
      case "const":
        return this.constant(tok);
      case "ident":
        if (this.tr.isLocal(tok.v) || this.scopes.some((s) => s.includes(tok.v))) return localName(tok.v);
        if (tok.v === "raise") return `$rb.raise([${this.callArgs().join(", ")}])`;
        if (tok.v === "require" || tok.v === "require_relative" || tok.v === "load") this.unsupported(`${tok.v} inside an expression`, tok);
        this.unsupported(`undefined local variable or method ${tok.v}`, tok);
    }
    this.unsupported("unexpected token", tok);
  }

  protected constant(tok: Token & { v: string }): string {
    if (tok.v === "ENV") {
      if (this.isOp("[") && !this.peek().spaceBefore) {
        const [key] = this.args("[", "]");
        return `$rb.env(${key})`;
      }
      this.expect(".");
      const method = this.peek();
      this.pos++;
      const name = method.t === "ident" ? method.v : "";
      const args = this.callArgs();
      if (name === "fetch") {
        const block = this.inlineBlock();
        return `(await $rb.envFetch(${args[0]}, [${args.slice(1).join(", ")}], ${block}))`;
      }
      if (["key?", "has_key?", "include?"].includes(name)) return `$rb.envHas(${args[0]})`;
      this.unsupported(`ENV.${name} is not available`, tok);
    }
    if (tok.v === "File") {
      this.expect(".");
      const method = this.peek();
      this.pos++;
      const name = method.t === "ident" ? method.v : "";
      const args = this.callArgs();
      if (name in FILE_METHODS) return `$rb.file(${JSON.stringify(name)}, [${args.join(", ")}])`;
      this.unsupported(`File.${name} is not available`, tok);
    }
    if (tok.v === "Dir") {
      this.expect(".");
      const method = this.peek();
      this.pos++;
      if (method.t !== "ident" || (method.v !== "pwd" && method.v !== "getwd")) this.unsupported("only Dir.pwd is available", tok);
      this.callArgs();
      return "$rb.pwd()";
    }
    if (tok.v === "Dotenv") {
      this.expect(".");
      const method = this.peek();
      this.pos++;
      if (method.t !== "ident" || (method.v !== "load" && method.v !== "overload")) this.unsupported("only Dotenv.load and Dotenv.overload are available", tok);
      return `(await $rb.dotenv([${this.callArgs().join(", ")}], ${method.v === "overload"}))`;
    }
    if (tok.v === "Kamal") {
      for (const expected of ["::", "Utils", ".", "docker_arch"]) {
        const t = this.peek();
        if (!("v" in t) || t.v !== expected) this.unsupported("only Kamal::Utils.docker_arch is available", tok);
        this.pos++;
      }
      return "$rb.dockerArch()";
    }
    if (tok.v === "Integer" && this.isOp("(")) return `$rb.integer(${this.args("(", ")")[0]})`;
    this.unsupported(`${tok.v} is not available`, tok);
  }

  protected string(parts: readonly StringPart[]): string {
    if (parts.length === 0) return '""';
    return `(${parts.map((p) => ("lit" in p ? jsString(p.lit) : `$rb.s(${this.interpolation(p.code, p.offset)})`)).join(" + ")})`;
  }

  /** `{ a: 1, "b" => 2 }`: a Ruby Hash (a Map, keeping Symbol and String keys apart). */
  protected hash(): string {
    const entries: string[] = [];
    this.skipNewlines();
    while (!this.isOp("}")) {
      const tok = this.peek();
      const next = this.tokens[this.pos + 1];
      let key: string;
      if ((tok.t === "ident" || tok.t === "const" || tok.t === "str") && next?.t === "op" && next.v === ":" && !next.spaceBefore) {
        key = `$rb.sym(${tok.t === "str" ? `$rb.s(${this.string(tok.parts)})` : JSON.stringify((tok as { v: string }).v)})`;
        this.pos += 2;
      } else {
        key = this.ternary();
        this.skipNewlines();
        this.expect("=>");
      }
      this.skipNewlines();
      entries.push(`[${key}, ${this.ternary()}]`);
      this.skipNewlines();
      if (this.isOp(",")) {
        this.pos++;
        this.skipNewlines();
      } else if (!this.isOp("}")) {
        this.unsupported("expected , or } in a hash");
      }
    }
    this.pos++;
    return `new Map([${entries.join(", ")}])`;
  }

  protected regexp(tok: Token & { t: "regexp" }): string {
    if (tok.parts.some((p) => "code" in p)) this.unsupported("a regular expression with #{...} in it", tok);
    const source = tok.parts.map((p) => ("lit" in p ? p.lit : "")).join("");
    try {
      new RubyRegexp(source, tok.flags);
    } catch (err) {
      if (!(err instanceof RegexpSyntaxUnsupported) && !(err instanceof SyntaxError)) throw err;
      this.unsupported(`the regular expression uses ${err instanceof RegexpSyntaxUnsupported ? err.message : "syntax JavaScript reads differently"}`, tok);
    }
    return `$rb.regexp(${jsString(source)}, ${JSON.stringify(tok.flags)})`;
  }

  protected interpolation(code: string, offset: number): string {
    const inner = new ExpressionParser(this.tr, code, this.line, this.#base + offset);
    inner.scopes.push(...this.scopes);
    return inner.outputExpression();
  }

  protected peek(): Token {
    return this.tokens[this.pos]!;
  }

  protected isOp(v: string): boolean {
    const t = this.peek();
    return t.t === "op" && t.v === v;
  }

  protected isKw(v: string): boolean {
    const t = this.peek();
    return t.t === "kw" && t.v === v;
  }

  protected skipNewlines(): void {
    while (this.isOp("\n")) this.pos++;
  }

  protected expect(v: string): void {
    if (!this.isOp(v)) this.unsupported(`expected ${v}`);
    this.pos++;
  }

  /** Refuses the construct from `at` to the end of its line (or to `until`), quoted whole. */
  protected unsupported(reason: string, at: Token = this.peek(), until?: number): never {
    const construct = until === undefined ? lineFrom(this.src, at.start) : this.src.slice(at.start, until).trim();
    throw new Unsupported(reason, construct, this.#base + at.start);
  }
}

function lineFrom(src: string, offset: number): string {
  return (src.slice(offset).split("\n")[0] ?? "").trim();
}

// File methods the runtime has (runtime-files.ts), named as in Ruby.
const FILE_METHODS: Record<string, true> = { "read": true, "exist?": true, "file?": true, "directory?": true, expand_path: true, join: true, basename: true, dirname: true };

// JSON escaping, plus `<` and `>` so that generated code never contains an ERB or HTML delimiter.
function jsString(text: string): string {
  return JSON.stringify(text).replaceAll("<", "\\u003c").replaceAll(">", "\\u003e");
}
