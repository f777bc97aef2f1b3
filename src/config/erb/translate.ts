// Translates the Ruby found in deploy.yml ERB tags into JavaScript that calls the runtime (`$rb`, runtime.ts) for
// every operation whose meaning differs between the two languages (truthiness, `||`, `==`, method calls). It is a
// parser for a known subset, not an evaluator of arbitrary Ruby: anything outside the subset raises Unsupported,
// and the caller then tries the tag as plain JavaScript before reporting it.
import { lex, LexError, type StringPart, type Token } from "./lexer.ts";

/** Code outside the subset; `construct` is the source from the offending token on. */
export class Unsupported extends Error {
  readonly construct: string;
  constructor(reason: string, construct: string) {
    super(reason);
    this.construct = construct;
  }
}

/** Ruby structure that is wrong whatever the language (`end` with nothing open, a missing `end`). */
export class StructureError extends Error {}

type Block = { readonly kind: "if" | "loop"; readonly closer: "end" | "}"; readonly line: number; readonly params: readonly string[] };

const ITERATORS = new Set(["each", "each_with_index", "each_pair", "times", "each_line"]);

/** Per-template state: open blocks, known local variables and temporaries, shared by all tags in order. */
export class Translator {
  readonly locals = new Set<string>();
  temps = 0;
  blocks: Block[] = [];

  /** JS statements for a `<% %>` tag. */
  code(src: string, line: number): string {
    return this.#transaction(() => new Parser(this, src, line).statements());
  }

  /** A JS expression for a `<%= %>` tag. */
  output(src: string, line: number): string {
    if (src.trim() === "") return "null";
    return this.#transaction(() => new Parser(this, src, line).outputExpression());
  }

  /** Fails when blocks are still open at the end of the template. */
  finish(): void {
    const open = this.blocks.at(-1);
    if (open) throw new StructureError(`missing <% ${open.closer} %> for the ${open.kind === "if" ? "condition" : "loop"} opened on line ${open.line}`);
  }

  isLocal(name: string): boolean {
    return this.locals.has(name) || this.blocks.some((b) => b.params.includes(name));
  }

  temp(): string {
    return `$t${++this.temps}`;
  }

  // A tag that fails to translate must leave no trace, because it may still be valid JavaScript.
  #transaction(work: () => string): string {
    const blocks = [...this.blocks];
    const locals = new Set(this.locals);
    try {
      return work();
    } catch (err) {
      this.blocks = blocks;
      this.locals.clear();
      for (const l of locals) this.locals.add(l);
      if (err instanceof LexError) throw new Unsupported(err.message, "");
      throw err;
    }
  }
}

export const localName = (name: string) => `v_${name}`;

class Parser {
  readonly #tr: Translator;
  readonly #src: string;
  readonly #line: number;
  readonly #tokens: Token[];
  #pos = 0;
  readonly #scopes: string[][] = [];

  constructor(tr: Translator, src: string, line: number) {
    this.#tr = tr;
    this.#src = src;
    this.#line = line;
    this.#tokens = lex(src);
  }

  statements(): string {
    const out: string[] = [];
    for (;;) {
      while (this.#isOp(";") || this.#isOp("\n")) this.#pos++;
      if (this.#peek().t === "eof") return out.join("\n");
      out.push(this.#statement());
      if (!this.#isOp(";") && !this.#isOp("\n") && this.#peek().t !== "eof") this.#unsupported("expected the end of the statement");
    }
  }

  outputExpression(): string {
    this.#skipNewlines();
    const value = this.#modified(this.#expr(), (cond, expr) => `(${cond} ? ${expr} : null)`);
    this.#skipNewlines();
    if (this.#peek().t !== "eof") this.#unsupported("expected the end of the expression");
    return value;
  }

  #statement(): string {
    const tok = this.#peek();
    if (tok.t === "kw" && (tok.v === "if" || tok.v === "unless")) {
      this.#pos++;
      const cond = this.#condition(tok.v === "unless");
      this.#tr.blocks.push({ kind: "if", closer: "end", line: this.#line, params: [] });
      return `if (${cond}) {`;
    }
    if (tok.t === "kw" && (tok.v === "elsif" || tok.v === "else")) {
      if (this.#tr.blocks.at(-1)?.kind !== "if") throw new StructureError(`\`${tok.v}\` without a matching \`if\``);
      this.#pos++;
      return tok.v === "else" ? "} else {" : `} else if (${this.#condition(false)}) {`;
    }
    if ((tok.t === "kw" && tok.v === "end") || (tok.t === "op" && tok.v === "}")) {
      const closer = tok.v as "end" | "}";
      const top = this.#tr.blocks.at(-1);
      if (top?.closer !== closer) {
        if (closer === "}") this.#unsupported("`}` closes no Ruby block");
        throw new StructureError("`end` without a matching `if`, `unless` or `do`");
      }
      this.#pos++;
      this.#tr.blocks.pop();
      return "}";
    }
    if (tok.t === "ident" && tok.v === "require") return this.#require(tok);
    const loop = this.#loopOpener();
    if (loop) return loop;
    const next = this.#tokens[this.#pos + 1];
    if (tok.t === "ident" && next?.t === "op" && (next.v === "=" || next.v === "||=" || next.v === "+=")) {
      this.#pos += 2;
      this.#skipNewlines();
      const target = localName(tok.v);
      const known = this.#tr.isLocal(tok.v);
      this.#tr.locals.add(tok.v);
      const value = this.#expr();
      if (next.v === "=") return this.#modified(`${target} = ${value};`, (c, s) => `if (${c}) { ${s} }`);
      if (!known) this.#unsupported(`undefined local variable ${tok.v}`, tok);
      if (next.v === "+=") return `${target} = $rb.plus(${target}, ${value});`;
      return `if (!$rb.t(${target})) ${target} = ${value};`;
    }
    return this.#modified(`${this.#expr()};`, (c, s) => `if (${c}) { ${s} }`);
  }

  // Kamal 1 loaded .env itself; Kamal 2 configs that still want it `require "dotenv"` and call Dotenv.load.
  #require(tok: Token): string {
    this.#pos++;
    const [feature] = this.#callArgs();
    if (feature === '("dotenv")') return ";";
    if (feature === '("dotenv/load")') return "await $rb.dotenv([], false);";
    this.#unsupported("only `require \"dotenv\"` is available", tok);
  }

  #condition(negate: boolean): string {
    const cond = `$rb.t(${this.#expr()})`;
    if (this.#isKw("then")) this.#pos++;
    return negate ? `!${cond}` : cond;
  }

  /** `expr if cond` / `expr unless cond` */
  #modified(code: string, wrap: (cond: string, code: string) => string): string {
    const tok = this.#peek();
    if (tok.t !== "kw" || (tok.v !== "if" && tok.v !== "unless")) return code;
    this.#pos++;
    const cond = `$rb.t(${this.#expr()})`;
    return wrap(tok.v === "unless" ? `!${cond}` : cond, code);
  }

  /** `RECV.each do |a, b|` (or `{ |a|`) at the end of a statement opens a loop closed by a later `end` (or `}`). */
  #loopOpener(): string | undefined {
    const end = this.#statementEnd();
    let at = end - 1;
    let params: string[] = [];
    if (this.#tokens[at]?.t === "op" && (this.#tokens[at] as { v: string }).v === "|") {
      const open = lastIndex(this.#tokens.slice(0, at), (t) => t.t === "op" && t.v === "|");
      if (open < 0) return undefined;
      params = this.#tokens.slice(open + 1, at).filter((t) => t.t === "ident").map((t) => (t as { v: string }).v);
      at = open - 1;
    }
    const opener = this.#tokens[at];
    const closer = opener?.t === "kw" && opener.v === "do" ? "end" : opener?.t === "op" && opener.v === "{" ? "}" : undefined;
    if (!closer) return undefined;
    const dot = lastIndex(this.#tokens.slice(this.#pos, at), (t) => t.t === "op" && (t.v === "." || t.v === "&.")) + this.#pos;
    const method = this.#tokens[dot + 1];
    if (dot < this.#pos || method?.t !== "ident" || !ITERATORS.has(method.v)) {
      this.#unsupported("only each, each_with_index, each_pair and times can open a block across tags");
    }
    const recv = this.#sub(dot, () => this.#unary());
    this.#pos = dot + 2;
    const args = this.#isOp("(") ? this.#args("(", ")") : [];
    if (this.#pos !== at) this.#unsupported("unexpected code before the block");
    this.#pos = end;
    this.#tr.blocks.push({ kind: "loop", closer, line: this.#line, params });
    const names = params.map(localName).join(", ");
    return `for (const [${names}] of $rb.iterate(${recv}, ${JSON.stringify((method as { v: string }).v)}, [${args.join(", ")}], ${params.length})) {`;
  }

  /** Parses tokens [pos, end) with `parse`, requiring it to consume exactly that range. */
  #sub(end: number, parse: () => string): string {
    const saved = this.#tokens[end]!;
    this.#tokens[end] = { t: "eof", start: saved.start, end: saved.start, spaceBefore: false };
    try {
      const code = parse();
      if (this.#pos !== end) this.#unsupported("unexpected code");
      return code;
    } finally {
      this.#tokens[end] = saved;
    }
  }

  #statementEnd(): number {
    let depth = 0;
    for (let i = this.#pos; i < this.#tokens.length; i++) {
      const t = this.#tokens[i]!;
      if (t.t === "eof") return i;
      if (t.t !== "op") continue;
      if (t.v === "(" || t.v === "[" || t.v === "{") depth++;
      else if (t.v === ")" || t.v === "]" || t.v === "}") depth--;
      else if (depth <= 0 && (t.v === ";" || t.v === "\n")) return i;
    }
    return this.#tokens.length - 1;
  }

  #expr(): string {
    let left = this.#notExpr();
    for (;;) {
      const tok = this.#peek();
      if (tok.t !== "kw" || (tok.v !== "and" && tok.v !== "or")) return left;
      this.#pos++;
      this.#skipNewlines();
      left = this.#logical(tok.v === "and" ? "&&" : "||", left, this.#notExpr());
    }
  }

  #notExpr(): string {
    if (!this.#isKw("not")) return this.#ternary();
    this.#pos++;
    return `!$rb.t(${this.#notExpr()})`;
  }

  #ternary(): string {
    const cond = this.#binary(0);
    if (!this.#isOp("?")) return cond;
    this.#pos++;
    this.#skipNewlines();
    const yes = this.#ternary();
    this.#skipNewlines();
    this.#expect(":");
    this.#skipNewlines();
    return `($rb.t(${cond}) ? ${yes} : ${this.#ternary()})`;
  }

  #logical(op: "&&" | "||", left: string, right: string): string {
    const t = this.#tr.temp();
    return op === "||" ? `($rb.t(${t} = ${left}) ? ${t} : ${right})` : `(!$rb.t(${t} = ${left}) ? ${t} : ${right})`;
  }

  // Precedence levels, loosest first.
  static readonly #levels: readonly (readonly string[])[] = [["||"], ["&&"], ["==", "!=", "=~"], ["<", "<=", ">", ">="], ["+", "-"], ["*", "/", "%"]];

  #binary(level: number): string {
    if (level >= Parser.#levels.length) return this.#unary();
    let left = this.#binary(level + 1);
    for (;;) {
      const tok = this.#peek();
      if (tok.t !== "op" || !Parser.#levels[level]!.includes(tok.v)) return left;
      this.#pos++;
      this.#skipNewlines();
      const right = this.#binary(level + 1);
      if (tok.v === "||" || tok.v === "&&") left = this.#logical(tok.v, left, right);
      else if (tok.v === "==") left = `$rb.eq(${left}, ${right})`;
      else if (tok.v === "!=") left = `!$rb.eq(${left}, ${right})`;
      else if (tok.v === "=~") this.#unsupported("regular expressions", tok);
      else if (tok.v === "+") left = `$rb.plus(${left}, ${right})`;
      else left = `$rb.op(${JSON.stringify(tok.v)}, ${left}, ${right})`;
    }
  }

  #unary(): string {
    if (this.#isOp("!")) {
      this.#pos++;
      return `!$rb.t(${this.#unary()})`;
    }
    if (this.#isOp("-")) {
      this.#pos++;
      return `$rb.op("-", 0, ${this.#unary()})`;
    }
    return this.#postfix(this.#primary());
  }

  #postfix(recv: string): string {
    for (;;) {
      const tok = this.#peek();
      if (tok.t === "op" && (tok.v === "." || tok.v === "&.")) {
        this.#pos++;
        this.#skipNewlines();
        recv = this.#call(recv, tok.v === "&.");
      } else if (tok.t === "op" && tok.v === "\n" && this.#tokens[this.#pos + 1]?.t === "op" && ["." , "&."].includes((this.#tokens[this.#pos + 1] as { v: string }).v)) {
        this.#pos++;
      } else if (tok.t === "op" && tok.v === "[" && !tok.spaceBefore) {
        const args = this.#args("[", "]");
        recv = `$rb.index(${recv}, [${args.join(", ")}])`;
      } else {
        return recv;
      }
    }
  }

  #call(recv: string, safe: boolean): string {
    const name = this.#peek();
    if (name.t !== "ident" && name.t !== "const") this.#unsupported("expected a method name", name);
    this.#pos++;
    const symbolBlock = this.#symbolBlock();
    const args = symbolBlock ? [] : this.#callArgs();
    const block = symbolBlock ?? this.#inlineBlock();
    return `(await $rb.send(${recv}, ${JSON.stringify((name as { v: string }).v)}, [${args.join(", ")}], ${block}, ${safe}))`;
  }

  /** `(a, b)`, or Ruby's parenthesis-free `fetch "X", "d"` when a value follows on the same line. */
  #callArgs(): string[] {
    const tok = this.#peek();
    if (tok.t === "op" && tok.v === "(" && !tok.spaceBefore) return this.#args("(", ")");
    const startsValue = ["str", "xstr", "num", "sym", "words", "const", "ident"].includes(tok.t) || (tok.t === "kw" && ["nil", "true", "false"].includes(tok.v));
    if (!startsValue || !tok.spaceBefore) return [];
    const args = [this.#ternary()];
    while (this.#isOp(",")) {
      this.#pos++;
      this.#skipNewlines();
      args.push(this.#ternary());
    }
    return args;
  }

  /** `(&:strip)`: a block that calls the named method on its argument. */
  #symbolBlock(): string | undefined {
    const [open, amp, sym, close] = this.#tokens.slice(this.#pos, this.#pos + 4);
    const isOp = (t: Token | undefined, v: string) => t?.t === "op" && t.v === v;
    if (!isOp(open, "(") || open?.spaceBefore || !isOp(amp, "&") || sym?.t !== "sym" || !isOp(close, ")")) return undefined;
    this.#pos += 4;
    return `async (x) => $rb.send(x, ${JSON.stringify(sym.v)}, [], undefined, false)`;
  }

  /** `{ |x| expr }` or `do |x| expr end` on one line, as a JS async function. */
  #inlineBlock(): string {
    const tok = this.#peek();
    const closer = tok.t === "op" && tok.v === "{" ? "}" : tok.t === "kw" && tok.v === "do" ? "end" : undefined;
    if (!closer) return "undefined";
    this.#pos++;
    const params: string[] = [];
    if (this.#isOp("|")) {
      this.#pos++;
      while (!this.#isOp("|")) {
        const p = this.#peek();
        if (p.t !== "ident") this.#unsupported("block parameters must be plain names", p);
        params.push((p as { v: string }).v);
        this.#pos++;
        if (this.#isOp(",")) this.#pos++;
      }
      this.#pos++;
    }
    this.#scopes.push(params);
    this.#skipNewlines();
    const body = this.#isOp(closer) || this.#isKw(closer) ? "null" : this.#expr();
    this.#skipNewlines();
    this.#scopes.pop();
    if (!(this.#isOp(closer) || this.#isKw(closer))) this.#unsupported(`expected ${closer} to close the block`);
    this.#pos++;
    return `async (${params.map(localName).join(", ")}) => (${body})`;
  }

  #args(open: string, close: string): string[] {
    this.#expect(open);
    const args: string[] = [];
    this.#skipNewlines();
    while (!this.#isOp(close)) {
      args.push(this.#expr());
      this.#skipNewlines();
      if (this.#isOp(",")) {
        this.#pos++;
        this.#skipNewlines();
      } else if (!this.#isOp(close)) {
        this.#unsupported(`expected , or ${close}`);
      }
    }
    this.#pos++;
    return args;
  }

  #primary(): string {
    const tok = this.#peek();
    this.#pos++;
    switch (tok.t) {
      case "str":
        return this.#string(tok.parts);
      case "xstr":
        return `(await $rb.sh(${this.#string(tok.parts)}))`;
      case "words":
        return JSON.stringify(tok.words);
      case "num":
        return String(tok.v);
      case "sym":
        return JSON.stringify(tok.v);
      case "kw":
        if (tok.v === "nil") return "null";
        if (tok.v === "true" || tok.v === "false") return tok.v;
        break;
      case "op":
        if (tok.v === "(") {
          this.#skipNewlines();
          const inner = this.#expr();
          this.#skipNewlines();
          this.#expect(")");
          return `(${inner})`;
        }
        if (tok.v === "[") {
          this.#pos--;
          return `[${this.#args("[", "]").join(", ")}]`;
        }
        break;
      case "const":
        return this.#constant(tok);
      case "ident":
        if (this.#tr.isLocal(tok.v) || this.#scopes.some((s) => s.includes(tok.v))) return localName(tok.v);
        this.#unsupported(`undefined local variable or method ${tok.v}`, tok);
    }
    this.#unsupported("unexpected token", tok);
  }

  #constant(tok: Token & { v: string }): string {
    if (tok.v === "ENV") {
      if (this.#isOp("[") && !this.#peek().spaceBefore) {
        const [key] = this.#args("[", "]");
        return `$rb.env(${key})`;
      }
      this.#expect(".");
      const method = this.#peek();
      this.#pos++;
      const name = method.t === "ident" ? method.v : "";
      const args = this.#callArgs();
      if (name === "fetch") {
        const block = this.#inlineBlock();
        return `(await $rb.envFetch(${args[0]}, [${args.slice(1).join(", ")}], ${block}))`;
      }
      if (["key?", "has_key?", "include?"].includes(name)) return `$rb.envHas(${args[0]})`;
      this.#unsupported(`ENV.${name} is not supported`, tok);
    }
    if (tok.v === "File") {
      this.#expect(".");
      const method = this.#peek();
      this.#pos++;
      const name = method.t === "ident" ? method.v : "";
      const args = this.#callArgs();
      if (name === "read") return `$rb.fileRead(${args[0]})`;
      if (name === "exist?" || name === "file?") return `$rb.fileExists(${args[0]})`;
      this.#unsupported(`File.${name} is not supported`, tok);
    }
    if (tok.v === "Dotenv") {
      this.#expect(".");
      const method = this.#peek();
      this.#pos++;
      if (method.t !== "ident" || (method.v !== "load" && method.v !== "overload")) this.#unsupported("only Dotenv.load and Dotenv.overload are available", tok);
      return `(await $rb.dotenv([${this.#callArgs().join(", ")}], ${method.v === "overload"}))`;
    }
    if (tok.v === "Kamal") {
      for (const expected of ["::", "Utils", ".", "docker_arch"]) {
        const t = this.#peek();
        if (!("v" in t) || t.v !== expected) this.#unsupported("only Kamal::Utils.docker_arch is available", tok);
        this.#pos++;
      }
      return "$rb.dockerArch()";
    }
    if (tok.v === "Integer" && this.#isOp("(")) return `$rb.integer(${this.#args("(", ")")[0]})`;
    this.#unsupported(`${tok.v} is not available`, tok);
  }

  #string(parts: readonly StringPart[]): string {
    if (parts.length === 0) return '""';
    return `(${parts.map((p) => ("lit" in p ? jsString(p.lit) : `$rb.s(${this.#interpolation(p.code)})`)).join(" + ")})`;
  }

  #interpolation(code: string): string {
    const inner = new Parser(this.#tr, code, this.#line);
    inner.#scopes.push(...this.#scopes);
    return inner.outputExpression();
  }

  #peek(): Token {
    return this.#tokens[this.#pos]!;
  }

  #isOp(v: string): boolean {
    const t = this.#peek();
    return t.t === "op" && t.v === v;
  }

  #isKw(v: string): boolean {
    const t = this.#peek();
    return t.t === "kw" && t.v === v;
  }

  #skipNewlines(): void {
    while (this.#isOp("\n")) this.#pos++;
  }

  #expect(v: string): void {
    if (!this.#isOp(v)) this.#unsupported(`expected ${v}`);
    this.#pos++;
  }

  #unsupported(reason: string, at: Token = this.#peek()): never {
    const rest = this.#src.slice(at.start).trim().split("\n")[0] ?? "";
    throw new Unsupported(reason, rest.length > 60 ? `${rest.slice(0, 60)}...` : rest);
  }
}

// JSON escaping, plus `<` and `>` so that generated code never contains an ERB or HTML delimiter.
function jsString(text: string): string {
  return JSON.stringify(text).replaceAll("<", "\\u003c").replaceAll(">", "\\u003e");
}

function lastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}
