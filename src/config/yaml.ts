// Parses deploy.yml with Psych's semantics (what Kamal uses): YAML 1.1 scalars (see yaml-scalar.ts), anchors,
// aliases and `<<:` merge keys, duplicate keys allowed (the last wins), the tags Psych reads (`!!binary`, `!!float`,
// `!ruby/symbol`), the first document of a stream only, and a lone CR as a line break. The `yaml` package does the parsing; we
// read its node tree with the failsafe schema (every scalar a string) and resolve plain scalars ourselves,
// because its own 1.1 schema differs from Psych (`y` is true there, `22:22` is 1342 there).
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, Scalar } from "yaml";
import type { Document, Node, Pair, YAMLMap } from "yaml";
import { ConfigError, type Issue } from "../errors.ts";
import { isHash } from "./merge.ts";
import { RubyBignum, RubyFloat, RubyScalar, RubySymbolValue, rubyInspect } from "../ruby-scalar.ts";
import { recordRubyKeys, rubyKeysOf } from "./ruby-keys.ts";
import { resolvePlainScalar, rubyFloat, ScalarError } from "./yaml-scalar.ts";

export type KeyPath = readonly (string | number)[];
export type Position = { readonly line: number; readonly column: number };

export type ParsedYaml = {
  /** The document as plain data; an empty document is null. */
  readonly value: unknown;
  /** Where a key path was written (the key for a mapping entry, the item for a sequence entry). */
  readonly locate: (path: KeyPath) => Position | undefined;
  readonly warnings: readonly string[];
};

export type ParseOptions = {
  /** Maps a line of the text back to the line of the file it came from (ERB can move lines). */
  readonly sourceLine?: (line: number) => number;
  /** The ERB tag that produced part of a line, to blame a syntax error on an inserted value. */
  readonly outputTag?: (line: number) => string | undefined;
};

/** Throws ConfigError with every syntax error found, each with its file, line and column. */
export function parseYaml(text: string, file: string, options: ParseOptions = {}): ParsedYaml {
  refuseControlCharacters(text, file, options.sourceLine);
  const lines = new LineCounter();
  // libyaml breaks lines at a lone CR too (old Mac files); the yaml package does not. Same length, same offsets.
  const unixText = text.replace(/\r(?!\n)/g, "\n");
  // Psych.load builds the first document and stops reading: later documents are neither used nor checked.
  const doc = parseAllDocuments(unixText, { version: "1.1", schema: "failsafe", uniqueKeys: false, lineCounter: lines })[0];
  if (doc === undefined) return { value: null, warnings: [], locate: () => undefined };
  const position = (offset: number): Position => {
    const { line, col } = lines.linePos(offset);
    return { line: options.sourceLine ? options.sourceLine(line) : line, column: col };
  };
  if (doc.errors.length > 0) {
    // One issue per line: the parser often reports a second, derived error at the same spot.
    const firstPerLine = doc.errors.filter((err, i, all) =>
      all.findIndex((other) => lines.linePos(other.pos[0]).line === lines.linePos(err.pos[0]).line) === i);
    throw new ConfigError(firstPerLine.map((err): Issue => ({
      file,
      path: "",
      message: err.code === "RESOURCE_EXHAUSTION"
        ? "invalid YAML: nested deeper than sextant reads (the parser ran out of stack)"
        : `invalid YAML: ${err.message.split(" at line ")[0]?.split("\n")[0]}`,
      fix: blame(options.outputTag?.(lines.linePos(err.pos[0]).line)) ??
        syntaxFixes[err.code] ?? "check the indentation and quoting on that line and the one before it",
      ...position(err.pos[0]),
    })));
  }
  const warnings: string[] = [];
  const issues: Issue[] = [];
  const converter = new Converter(
    doc,
    (offset, message) => {
      const { line, column } = position(offset);
      // An anchored node is converted again at every alias; say it once.
      const warning = `${file}:${line}:${column}: ${message}`;
      if (!warnings.includes(warning)) warnings.push(warning);
    },
    (offset, message, fix) => issues.push({ file, path: "", message, ...(fix ? { fix } : {}), ...position(offset) }),
  );
  const value = converter.toJs(doc.contents);
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    value,
    warnings,
    locate: (path) => {
      const offset = locateOffset(doc, path);
      return offset === undefined ? undefined : position(offset);
    },
  };
}

const blame = (tag: string | undefined): string | undefined =>
  tag && `the value ${tag} inserts is not valid YAML here: put quotes around the tag ("${tag}") or make the value YAML-safe`;

const syntaxFixes: Partial<Record<string, string>> = {
  TAB_AS_INDENT: "indent with spaces; YAML does not allow tabs for indentation",
  BAD_INDENT: "line the key up with its siblings (same number of spaces), and close any [ or { opened above",
  BAD_ALIAS: "define the anchor (`&name`) before using the alias (`*name`)",
  MISSING_CHAR: "close the quote or bracket opened above",
  BLOCK_AS_IMPLICIT_KEY: "line this up with its siblings (same number of spaces), or quote a value that contains `: `",
  BAD_SCALAR_START: "quote the value: YAML reserves a leading @, `, %, !, &, * or |",
  UNEXPECTED_TOKEN: "quote the value; inside single quotes write ' as ''",
  RESOURCE_EXHAUSTION: "nest lists and hashes a few hundred levels deep at most",
};

/**
 * Psych (libyaml) reads only printable characters: tab, line breaks and Unicode outside the C0/C1 control ranges
 * (NEL allowed), surrogates and U+FFFE/U+FFFF; a byte order mark only at the start. A raw NUL would otherwise reach
 * a host inside `--env`.
 */
const NOT_PRINTABLE = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]/u;

function refuseControlCharacters(text: string, file: string, sourceLine?: (line: number) => number): void {
  const body = text.startsWith("\ufeff") ? text.slice(1) : text;
  const found = NOT_PRINTABLE.exec(body);
  if (!found) return;
  const offset = found.index + text.length - body.length;
  const before = text.slice(0, offset).split("\n");
  const line = before.length;
  const code = `U+${(found[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
  throw new ConfigError([{
    file, path: "", line: sourceLine ? sourceLine(line) : line, column: (before.at(-1)?.length ?? 0) + 1,
    message: `invalid YAML: control characters are not allowed (found ${code})`,
    fix: `remove the character, or write it as an escape inside double quotes ("\\u${code.slice(2)}")`,
  }]);
}

type Report = (offset: number, message: string, fix?: string) => void;

// Psych shares an anchored object between its aliases; we copy it, so a few lines of aliases of aliases could
// expand to billions of values. Real configs expand to hundreds.
const MAX_ALIAS_EXPANSION = 10_000;

class Converter {
  readonly #doc: Document;
  readonly #warn: Report;
  readonly #fail: Report;
  readonly #resolving = new Set<Node>();
  /** Values produced by expanding aliases so far: each alias copies its anchor's whole subtree. */
  #expanded = 0;
  #values = 0;
  constructor(doc: Document, warn: Report, fail: Report) {
    this.#doc = doc;
    this.#warn = warn;
    this.#fail = fail;
  }

  toJs(node: unknown): unknown {
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
        return this.toJs(target);
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
    if (isSeq(node)) return node.items.map((item) => this.toJs(item));
    if (isMap(node)) return this.#mapping(node);
    return null;
  }

  #mapping(node: YAMLMap): Record<string, unknown> {
    const hash: Record<string, unknown> = {};
    const seen = new Set<string>();
    // As a Ruby Hash: a key set again keeps its first place.
    const order = new Map<string, unknown>();
    for (const pair of node.items) {
      const value = this.toJs(pair.value);
      if (isMergeKey(pair)) {
        // Psych merges at the point `<<` appears: keys written before it are overridden, keys after it win.
        const sources = isSeq(pair.value) ? [...(value as unknown[])].reverse() : [value];
        if (sources.every(isHash)) {
          for (const source of sources) {
            Object.assign(hash, source);
            for (const [key, rubyKey] of rubyKeysOf(source)) if (!order.has(key)) order.set(key, rubyKey);
          }
          continue;
        }
      }
      const rubyKey = this.toJs(pair.key);
      const key = keyString(rubyKey);
      if (seen.has(key)) this.#warn(nodeStart(pair.key), `duplicate key "${key}": the last one wins`);
      seen.add(key);
      setKey(hash, key, value);
      if (!order.has(key)) order.set(key, rubyKey);
    }
    recordRubyKeys(hash, [...order]);
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

function setKey(hash: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(hash, key, { value, enumerable: true, writable: true, configurable: true });
  else hash[key] = value;
}

function nodeStart(node: unknown): number {
  return (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
}

/** Follows a key path through the node tree (aliases and merged mappings included) to where it was written. */
function locateOffset(doc: Document, path: KeyPath): number | undefined {
  let node: unknown = doc.contents;
  let offset = nodeStart(node);
  for (const segment of path) {
    node = deref(doc, node);
    if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
      if (node === undefined) return undefined;
      offset = nodeStart(node);
    } else if (isMap(node)) {
      const pair = findPair(doc, node, String(segment), new Set());
      if (!pair) return undefined;
      node = pair.value;
      offset = nodeStart(pair.key);
    } else {
      return undefined;
    }
  }
  return offset;
}

function findPair(doc: Document, map: YAMLMap, key: string, visited: Set<unknown>): Pair | undefined {
  if (visited.has(map)) return undefined;
  visited.add(map);
  const own = [...map.items].reverse().find((pair) => !isMergeKey(pair) && isScalar(pair.key) && keyString(scalarValue(pair.key)) === key);
  if (own) return own;
  for (const pair of map.items.filter(isMergeKey)) {
    const value = deref(doc, pair.value);
    const sources = isSeq(value) ? value.items.map((item) => deref(doc, item)) : [value];
    for (const source of sources) {
      const found = isMap(source) ? findPair(doc, source, key, visited) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

function deref(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}
