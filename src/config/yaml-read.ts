// Reads the first document of a YAML text into Ruby-typed values (the semantics are described in yaml.ts), as data
// a worker thread can hand back: offsets instead of line numbers, notes instead of issues naming a file.
//
// Nesting is counted and capped here, because the `yaml` package composes a document recursively (about 1 KB of
// stack per level) and V8 does not always fail cleanly when the stack runs out: a regular expression compiled at
// the bottom of the stack aborts the whole process ("RegExpCompiler Allocation failed"). So reading stops at
// `maxDepth` levels, before the stack gets close to its end, and says where; yaml.ts decides what that means.
import { Composer, isAlias, isMap, isScalar, isSeq, Lexer, LineCounter, Parser, Scalar } from "yaml";
import type { CST, Document, Node, Pair, YAMLMap } from "yaml";
import { isHash } from "./merge.ts";
import { setOwnValue } from "./own-value.ts";
import { RubyBignum, RubyFloat, RubyScalar, RubySymbolValue, rubyInspect } from "../ruby-scalar.ts";
import { recordRubyKeys, rubyKeysOf } from "./ruby-keys.ts";
import { resolvePlainScalar, rubyFloat, ScalarError } from "./yaml-scalar.ts";

/** Something to report at an offset of the text. */
export type Note = { readonly offset: number; readonly message: string; readonly fix?: string };
export type ParseError = { readonly offset: number; readonly code: string; readonly message: string };

/** Where each entry of a hash or an array was written: a mapping entry's key, a sequence entry's item. */
export type EntryOffsets = WeakMap<object, ReadonlyMap<string | number, number>>;

export type YamlRead = {
  readonly lineStarts: readonly number[];
} & (
  | {
    readonly kind: "read";
    /** The document as plain data; an empty document is null. */
    readonly value: unknown;
    readonly rootOffset: number;
    readonly entryOffsets: EntryOffsets;
    /** The parser's errors; when there are any, `value` is null. */
    readonly syntaxErrors: readonly ParseError[];
    readonly warnings: readonly Note[];
    readonly issues: readonly Note[];
  }
  /** Values nest deeper than `maxDepth` (aliases included), first at `offset`. */
  | { readonly kind: "too-deep"; readonly offset: number }
);

/** `text` has its line breaks as LF (or CRLF) already. */
export function readYaml(text: string, maxDepth: number): YamlRead {
  const lines = new LineCounter();
  const tokens = firstDocumentTokens(text, lines, maxDepth);
  if (!Array.isArray(tokens)) return { kind: "too-deep", offset: tokens.tooDeep, lineStarts: lines.lineStarts };
  const doc = Array.from(new Composer({ version: "1.1", schema: "failsafe", uniqueKeys: false }).compose(tokens))[0];
  const empty = { kind: "read", value: null, rootOffset: 0, entryOffsets: new WeakMap(), warnings: [], issues: [], lineStarts: lines.lineStarts } as const;
  if (doc === undefined) return { ...empty, syntaxErrors: [] };
  if (doc.errors.length > 0)
    return { ...empty, syntaxErrors: doc.errors.map((err) => ({ offset: err.pos[0], code: err.code, message: err.message })) };
  const warnings: Note[] = [];
  const issues: Note[] = [];
  const converter = new Converter(doc, maxDepth, (offset, message) => warnings.push({ offset, message }),
    (offset, message, fix) => issues.push({ offset, message, ...(fix ? { fix } : {}) }));
  try {
    const value = converter.toJs(doc.contents, 0);
    return { kind: "read", value, rootOffset: nodeStart(doc.contents), entryOffsets: converter.entryOffsets, syntaxErrors: [], warnings, issues, lineStarts: lines.lineStarts };
  } catch (err) {
    if (err instanceof TooDeep) return { kind: "too-deep", offset: err.offset, lineStarts: lines.lineStarts };
    throw err;
  }
}

/** Where the first document nests deeper than `maxDepth` (a hash or list in a hash is 2 levels), if it does. */
export function nestingBeyond(text: string, maxDepth: number, lines: LineCounter): number | undefined {
  const tokens = firstDocumentTokens(text, lines, maxDepth);
  return Array.isArray(tokens) ? undefined : tokens.tooDeep;
}

/**
 * The concrete syntax of the first document (and what ends it), or where it nests deeper than `maxDepth`. Psych.load
 * builds the first document and stops reading, so later documents are neither used nor checked; reading stops
 * when the second one starts.
 */
function firstDocumentTokens(text: string, lines: LineCounter, maxDepth: number): CST.Token[] | { tooDeep: number } {
  const parser = new Parser(lines.addNewLine);
  lines.addNewLine(0);
  const tokens: CST.Token[] = [];
  let inFirstDocument = true;
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) {
      tokens.push(token);
      if (token.type === "document") inFirstDocument = false;
    }
    if (!inFirstDocument && parser.stack[0]?.type === "document") return tokens;
    // The parser's stack is the document, the collections being built and at most one scalar: this many
    // collections nest deeper than maxDepth. (The parser itself is iterative; composing is what recurses.)
    if (inFirstDocument && parser.stack.length - 2 > maxDepth) return { tooDeep: parser.stack[maxDepth + 1]?.offset ?? parser.offset };
  }
  tokens.push(...parser.end());
  return tokens;
}

class TooDeep extends Error {
  readonly offset: number;
  constructor(offset: number) {
    super("nested too deep");
    this.offset = offset;
  }
}

type Report = (offset: number, message: string, fix?: string) => void;

// Psych shares an anchored object between its aliases; we copy it, so a few lines of aliases of aliases could
// expand to billions of values. Real configs expand to hundreds.
const MAX_ALIAS_EXPANSION = 10_000;

class Converter {
  readonly entryOffsets: EntryOffsets = new WeakMap();
  readonly #doc: Document;
  readonly #maxDepth: number;
  readonly #warn: Report;
  readonly #fail: Report;
  readonly #resolving = new Set<Node>();
  /** Values produced by expanding aliases so far: each alias copies its anchor's whole subtree. */
  #expanded = 0;
  #values = 0;
  constructor(doc: Document, maxDepth: number, warn: Report, fail: Report) {
    this.#doc = doc;
    this.#maxDepth = maxDepth;
    this.#warn = warn;
    this.#fail = fail;
  }

  /** `depth`: how many hashes and arrays hold the node. An alias counts at the depth it is used at. */
  toJs(node: unknown, depth: number): unknown {
    this.#values++;
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = node.resolve(this.#doc);
      if (!target) {
        this.#fail(nodeStart(node), `unknown alias *${node.source}`, `define the anchor &${node.source} above this line`);
        return null;
      }
      if (this.#resolving.has(target)) return null;
      if (this.#expanded > MAX_ALIAS_EXPANSION) return null;
      this.#resolving.add(target);
      const start = this.#values;
      try {
        return this.toJs(target, depth);
      } finally {
        this.#resolving.delete(target);
        this.#expanded += this.#values - start;
        if (this.#expanded > MAX_ALIAS_EXPANSION && this.#resolving.size === 0)
          this.#fail(nodeStart(node), `YAML aliases expand to more than ${MAX_ALIAS_EXPANSION.toLocaleString("en-US")} values`,
            "use each anchor a few times at most: aliases of aliases multiply (a \"billion laughs\" file)");
      }
    }
    if (isScalar(node)) {
      let value: unknown;
      try {
        value = scalarValue(node);
      } catch (err) {
        if (!(err instanceof ScalarError)) throw err;
        this.#fail(nodeStart(node), `${String(node.value)}: ${err.message} (Psych stops here)`, "write a value of the type the tag names, or remove the tag");
        return null;
      }
      // Nobody means base 60: `22:22` is almost always a port mapping that Psych turns into 80520.
      if ((typeof value === "number" || value instanceof RubyFloat || value instanceof RubyBignum) && node.type === Scalar.PLAIN && String(node.value).includes(":"))
        this.#warn(nodeStart(node), `${String(node.value)} is read as the number ${String(value)} (YAML 1.1 base 60); quote it ("${String(node.value)}") if it is a port mapping or a time`);
      return value;
    }
    if (!isSeq(node) && !isMap(node)) return null;
    if (depth >= this.#maxDepth) throw new TooDeep(nodeStart(node));
    if (isMap(node)) return this.#mapping(node, depth + 1);
    const items = node.items.map((item) => this.toJs(item, depth + 1));
    this.entryOffsets.set(items, new Map(node.items.map((item, i) => [i, nodeStart(item)])));
    return items;
  }

  /** `depth` counts this mapping. */
  #mapping(node: YAMLMap, depth: number): Record<string, unknown> {
    const hash: Record<string, unknown> = {};
    const offsets = new Map<string, number>();
    const seen = new Set<string>();
    // As a Ruby Hash: a key set again keeps its first place.
    const order = new Map<string, unknown>();
    for (const pair of node.items) {
      const value = this.toJs(pair.value, depth);
      if (isMergeKey(pair)) {
        // Psych merges at the point `<<` appears: keys written before it are overridden, keys after it win.
        const sources = isSeq(pair.value) ? [...(value as unknown[])].reverse() : [value];
        if (sources.every(isHash)) {
          for (const source of sources) {
            Object.assign(hash, source);
            for (const [key, at] of this.entryOffsets.get(source) ?? []) offsets.set(String(key), at);
            for (const [key, rubyKey] of rubyKeysOf(source)) if (!order.has(key)) order.set(key, rubyKey);
          }
          continue;
        }
      }
      const rubyKey = this.toJs(pair.key, depth);
      const key = keyString(rubyKey);
      if (seen.has(key)) this.#warn(nodeStart(pair.key), `duplicate key "${key}": the last one wins`);
      seen.add(key);
      setOwnValue(hash, key, value);
      offsets.set(key, nodeStart(pair.key));
      if (!order.has(key)) order.set(key, rubyKey);
    }
    recordRubyKeys(hash, [...order]);
    this.entryOffsets.set(hash, offsets);
    return hash;
  }
}

/** Psych's `deserialize` (psych lib/psych/visitors/to_ruby.rb): a tag decides, else a quoted scalar is a string. */
function scalarValue(node: Scalar): unknown {
  const text = String(node.value);
  const tag = node.tag;
  if (tag === undefined) return node.type === Scalar.PLAIN ? resolvePlainScalar(text) : text;
  if (tag === "tag:yaml.org,2002:binary" || tag === "!binary") return decodeBinary(text);
  if (tag === "tag:yaml.org,2002:str" || /^!(?:str|ruby\/string)(?::.*)?$/.test(tag)) return text;
  if (tag === "tag:yaml.org,2002:float" || tag === "!float") return new RubyFloat(toFloat(resolvePlainScalar(text)));
  if (/^!ruby\/sym(?:bol)?:?/.test(tag)) return new RubySymbolValue(text);
  // `!`, `!!int`, `!!bool` and tags Psych has no class for: read like a plain scalar, quoted or not.
  return resolvePlainScalar(text);
}

/** Ruby's `Float(value)` of what the scalar reads as. */
function toFloat(value: unknown): number {
  if (typeof value === "number") return value;
  if (value instanceof RubyFloat || value instanceof RubyBignum) return Number(value.value);
  if (typeof value === "string") return rubyFloat(value);
  const name = value === null ? "nil" : value instanceof Date ? "Date" : value instanceof RubySymbolValue ? "Symbol" : String(value);
  throw new ScalarError(`can't convert ${name} into Float`);
}

/** `unpack("m")`: base64 with anything outside its alphabet skipped, up to the padding. */
function decodeBinary(text: string): string {
  const bytes = Buffer.from(text.replace(/=[^]*$/, "").replace(/[^A-Za-z0-9+/]/g, ""), "base64");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ScalarError("!!binary decodes to bytes that are not UTF-8 text, which sextant cannot pass on as Kamal would");
  }
}

function isMergeKey(pair: Pair): boolean {
  return isScalar(pair.key) && pair.key.value === "<<" && pair.key.tag !== "tag:yaml.org,2002:str";
}

function keyString(key: unknown): string {
  if (key === null) return "";
  if (key instanceof Date) return key.toISOString();
  // Kamal interpolates a key with to_s, which for a list or hash key (`? [a, b]`) is its inspect form.
  return typeof key === "object" && !(key instanceof RubyScalar) ? rubyInspect(key) : String(key);
}

function nodeStart(node: unknown): number {
  return (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
}
