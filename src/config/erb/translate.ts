// Translates the Ruby found in deploy.yml ERB tags into JavaScript that calls the runtime (`$rb`, runtime.ts) for
// every operation whose meaning differs between the two languages (truthiness, `||`, `==`, method calls). It is a
// parser for a known subset, not an evaluator of arbitrary Ruby: anything outside the subset raises Unsupported,
// and the caller refuses the template (or has Ruby render it). Nothing is ever run as JavaScript as written.
import { ExpressionParser, localName, Unsupported } from "./expression.ts";
import type { Token } from "./lexer.ts";

/** Ruby structure that is wrong whatever the language (`end` with nothing open, a missing `end`). */
export class StructureError extends Error {}

type Block = {
  readonly kind: "if" | "loop" | "begin";
  readonly closer: "end" | "}";
  readonly line: number;
  readonly params: readonly string[];
  /** for `begin`: a `rescue` or `ensure` clause was seen (JavaScript's try needs a catch or a finally) */
  readonly handled?: "rescue" | "ensure";
};

const ITERATORS = new Set(["each", "each_with_index", "each_pair", "times", "each_line"]);

/** Per-template state: open blocks, known local variables and temporaries, shared by all tags in order. */
export class Translator {
  readonly locals = new Set<string>();
  temps = 0;
  blocks: Block[] = [];

  /** JS statements for a `<% %>` tag. */
  code(src: string, line: number): string {
    return this.#transaction(() => new StatementParser(this, src, line).statements());
  }

  /** A JS expression for a `<%= %>` tag. */
  output(src: string, line: number): string {
    if (src.trim() === "") return "null";
    return this.#transaction(() => new ExpressionParser(this, src, line).outputExpression());
  }

  /** Fails when blocks are still open at the end of the template. */
  finish(): void {
    const open = this.blocks.at(-1);
    if (open) throw new StructureError(`missing <% ${open.closer} %> for the ${{ if: "condition", loop: "loop", begin: "begin" }[open.kind]} opened on line ${open.line}`);
  }

  isLocal(name: string): boolean {
    return this.locals.has(name) || this.blocks.some((b) => b.params.includes(name));
  }

  temp(): string {
    return `$t${++this.temps}`;
  }

  // A tag that fails to translate leaves no trace, so that the tags after it are still checked as they would be.
  #transaction(work: () => string): string {
    const blocks = [...this.blocks];
    const locals = new Set(this.locals);
    try {
      return work();
    } catch (err) {
      this.blocks = blocks;
      this.locals.clear();
      for (const l of locals) this.locals.add(l);
      throw err;
    }
  }
}

/** Statements of a `<% %>` tag: conditions and loops that span tags, assignments, `require "dotenv"`. */
class StatementParser extends ExpressionParser {
  readonly #translator: Translator;

  constructor(translator: Translator, src: string, line: number) {
    super(translator, src, line);
    this.#translator = translator;
  }

  statements(): string {
    const out: string[] = [];
    for (;;) {
      while (this.isOp(";") || this.isOp("\n")) this.pos++;
      if (this.peek().t === "eof") return out.join("\n");
      out.push(this.statement());
      if (!this.isOp(";") && !this.isOp("\n") && this.peek().t !== "eof") this.unsupported("expected the end of the statement");
    }
  }

  protected statement(): string {
    const tok = this.peek();
    if (tok.t === "kw" && (tok.v === "if" || tok.v === "unless")) {
      this.pos++;
      const cond = this.condition(tok.v === "unless");
      this.#translator.blocks.push({ kind: "if", closer: "end", line: this.line, params: [] });
      return `if (${cond}) {`;
    }
    if (tok.t === "kw" && tok.v === "begin") return this.begin();
    if (tok.t === "kw" && (tok.v === "rescue" || tok.v === "ensure") && this.#translator.blocks.at(-1)?.kind === "begin") return this.clause(tok);
    if (tok.t === "kw" && (tok.v === "elsif" || tok.v === "else")) {
      if (this.#translator.blocks.at(-1)?.kind === "begin") this.unsupported(`\`${tok.v}\` in a begin block`, tok);
      if (this.#translator.blocks.at(-1)?.kind !== "if") throw new StructureError(`\`${tok.v}\` without a matching \`if\``);
      this.pos++;
      return tok.v === "else" ? "} else {" : `} else if (${this.condition(false)}) {`;
    }
    if ((tok.t === "kw" && tok.v === "end") || (tok.t === "op" && tok.v === "}")) {
      const closer = tok.v as "end" | "}";
      const top = this.#translator.blocks.at(-1);
      if (top?.closer !== closer) {
        if (closer === "}") this.unsupported("`}` closes no Ruby block");
        throw new StructureError("`end` without a matching `if`, `unless` or `do`");
      }
      this.pos++;
      this.#translator.blocks.pop();
      return top.kind === "begin" && !top.handled ? "} finally {}" : "}";
    }
    if (tok.t === "ident" && (tok.v === "require" || tok.v === "require_relative" || tok.v === "load")) return this.require(tok);
    const loop = this.loopOpener();
    if (loop) return loop;
    const next = this.tokens[this.pos + 1];
    if (tok.t === "ident" && next?.t === "op" && (next.v === "=" || next.v === "||=" || next.v === "+=")) {
      this.pos += 2;
      this.skipNewlines();
      const target = localName(tok.v);
      const known = this.tr.isLocal(tok.v);
      this.#translator.locals.add(tok.v);
      const value = this.rescued();
      if (next.v === "=") return this.modified(`${target} = ${value};`, (c, s) => `if (${c}) { ${s} }`);
      // Ruby declares the variable as soon as it parses the assignment, so a new one starts as nil.
      const current = known ? target : "null";
      if (next.v === "+=") return `${target} = $rb.plus(${current}, ${value});`;
      return `if (!$rb.t(${current})) ${target} = ${value};`;
    }
    return this.modified(`${this.rescued()};`, (c, s) => `if (${c}) { ${s} }`);
  }

  // Kamal 1 loaded .env itself; Kamal 2 configs that still want it `require "dotenv"` and call Dotenv.load.
  // Kamal has dotenv loaded already. Any other library, and any Ruby file of the project, needs Ruby itself.
  protected require(tok: Token & { v: string }): string {
    this.pos++;
    const whole = this.tokens[this.statementEnd()]!.start;
    let feature: string | undefined;
    try {
      [feature] = this.callArgs();
    } catch (err) {
      if (!(err instanceof Unsupported)) throw err;
    }
    if (tok.v === "require" && feature === '("dotenv")') return ";";
    if (tok.v === "require" && feature === '("dotenv/load")') return "await $rb.dotenv([], false);";
    const literal = /^\("([^"]*)"\)$/.exec(feature ?? "")?.[1];
    const loadsFile = tok.v !== "require" || literal === undefined || /^[./~]/.test(literal);
    this.unsupported(loadsFile ? "it loads a Ruby file of the project, which only Ruby can run" : `it loads the Ruby library ${JSON.stringify(literal)}`, tok, whole);
  }

  /** `begin` opens a block whose `rescue`, `ensure` and `end` may be in later tags, as in Ruby. */
  protected begin(): string {
    this.pos++;
    this.#translator.blocks.push({ kind: "begin", closer: "end", line: this.line, params: [] });
    return "try {";
  }

  /** `rescue`, `rescue KeyError, NoMethodError => e`, `ensure` */
  protected clause(tok: Token & { v: string }): string {
    this.pos++;
    const blocks = this.#translator.blocks;
    const top = blocks.at(-1)!;
    if (top.handled === "ensure" || (top.handled && tok.v === "rescue")) this.unsupported(`a second \`${tok.v}\` clause`, tok);
    blocks[blocks.length - 1] = { ...top, handled: tok.v as "rescue" | "ensure" };
    if (tok.v === "ensure") return "} finally {";
    const classes: string[] = [];
    while (this.peek().t === "const") {
      let name = (this.peek() as { v: string }).v;
      this.pos++;
      while (this.isOp("::") && this.tokens[this.pos + 1]?.t === "const") {
        name += `::${(this.tokens[this.pos + 1] as { v: string }).v}`;
        this.pos += 2;
      }
      classes.push(name);
      if (!this.isOp(",")) break;
      this.pos++;
    }
    let bind = "";
    if (this.isOp("=>")) {
      this.pos++;
      const name = this.peek();
      if (name.t !== "ident") this.unsupported("expected a variable name after =>", name);
      this.pos++;
      this.#translator.locals.add(name.v);
      bind = ` ${localName(name.v)} = $e;`;
    }
    if (this.isKw("then")) this.pos++;
    return `} catch ($e) { if (!$rb.rescues($e, ${JSON.stringify(classes)})) throw $e;${bind}`;
  }

  protected condition(negate: boolean): string {
    const cond = `$rb.t(${this.expr()})`;
    if (this.isKw("then")) this.pos++;
    return negate ? `!${cond}` : cond;
  }

  /** `RECV.each do |a, b|` (or `{ |a|`) at the end of a statement opens a loop closed by a later `end` (or `}`). */
  protected loopOpener(): string | undefined {
    const end = this.statementEnd();
    let at = end - 1;
    let params: string[] = [];
    if (this.tokens[at]?.t === "op" && (this.tokens[at] as { v: string }).v === "|") {
      const open = lastIndex(this.tokens.slice(0, at), (t) => t.t === "op" && t.v === "|");
      if (open < 0) return undefined;
      params = this.tokens.slice(open + 1, at).filter((t) => t.t === "ident").map((t) => (t as { v: string }).v);
      at = open - 1;
    }
    const opener = this.tokens[at];
    const closer = opener?.t === "kw" && opener.v === "do" ? "end" : opener?.t === "op" && opener.v === "{" ? "}" : undefined;
    if (!closer) return undefined;
    const dot = lastIndex(this.tokens.slice(this.pos, at), (t) => t.t === "op" && (t.v === "." || t.v === "&.")) + this.pos;
    const method = this.tokens[dot + 1];
    if (dot < this.pos || method?.t !== "ident" || !ITERATORS.has(method.v)) {
      this.unsupported("only each, each_with_index, each_pair and times can open a block across tags");
    }
    const recv = this.sub(dot, () => this.unary());
    this.pos = dot + 2;
    const args = this.isOp("(") ? this.args("(", ")") : [];
    if (this.pos !== at) this.unsupported("unexpected code before the block");
    this.pos = end;
    this.#translator.blocks.push({ kind: "loop", closer, line: this.line, params });
    const names = params.map(localName).join(", ");
    return `for (const [${names}] of $rb.iterate(${recv}, ${JSON.stringify((method as { v: string }).v)}, [${args.join(", ")}], ${params.length})) {`;
  }

  /** Parses tokens [pos, end) with `parse`, requiring it to consume exactly that range. */
  protected sub(end: number, parse: () => string): string {
    const saved = this.tokens[end]!;
    this.tokens[end] = { t: "eof", start: saved.start, end: saved.start, spaceBefore: false };
    try {
      const code = parse();
      if (this.pos !== end) this.unsupported("unexpected code");
      return code;
    } finally {
      this.tokens[end] = saved;
    }
  }

  protected statementEnd(): number {
    let depth = 0;
    for (let i = this.pos; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (t.t === "eof") return i;
      if (t.t !== "op") continue;
      if (t.v === "(" || t.v === "[" || t.v === "{") depth++;
      else if (t.v === ")" || t.v === "]" || t.v === "}") depth--;
      else if (depth <= 0 && (t.v === ";" || t.v === "\n")) return i;
    }
    return this.tokens.length - 1;
  }

}

function lastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}
