// Parses deploy.yml with Psych's semantics (what Kamal uses): YAML 1.1 scalars (see yaml-scalar.ts), anchors,
// aliases and `<<:` merge keys, duplicate keys allowed (the last wins), the tags Psych reads (`!!binary`, `!!float`,
// `!ruby/symbol`), the first document of a stream only, and a lone CR as a line break. The `yaml` package does the parsing; we
// read its node tree with the failsafe schema (every scalar a string) and resolve plain scalars ourselves,
// because its own 1.1 schema differs from Psych (`y` is true there, `22:22` is 1342 there). Reading is in
// yaml-read.ts; a file nested deeper than this thread's stack takes is read on a worker thread (yaml-off-thread.ts).
import { LineCounter } from "yaml";
import { ConfigError, type Issue } from "../errors.ts";
import { readYamlOffThread } from "./yaml-off-thread.ts";
import { readYaml, type YamlRead } from "./yaml-read.ts";

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

// Levels of nesting (hashes and arrays, the document's own included) read on the calling thread: ten times what
// configs use, and far from the end of its stack. Deeper documents are read on a worker thread with a stack of its
// own (yaml-off-thread.ts), up to MAX_NESTING: above Psych's own limit (Ruby 3.1: 962 levels of hashes, 1,309 of
// lists), and below what the steps after reading (merging destinations, printing `sextant config`) can take on the
// main thread's stack with room to spare.
const CALLER_STACK_DEPTH = 200;
const MAX_NESTING = 1_500;
// A function: toLocaleString loads ICU's locale data, which a config that reads fine should not wait for.
const tooDeep = () => `invalid YAML: nested deeper than sextant reads (${MAX_NESTING.toLocaleString("en-US")} levels)`;

/** Throws ConfigError with every syntax error found, each with its file, line and column. */
export function parseYaml(text: string, file: string, options: ParseOptions = {}): ParsedYaml {
  refuseControlCharacters(text, file, options.sourceLine);
  // libyaml breaks lines at a lone CR too (old Mac files); the yaml package does not. Same length, same offsets.
  const unixText = text.replace(/\r(?!\n)/g, "\n");
  let read = readYaml(unixText, CALLER_STACK_DEPTH);
  if (read.kind === "too-deep") read = readYamlOffThread(unixText, MAX_NESTING);
  const lines = new LineCounter();
  read.lineStarts.forEach(lines.addNewLine);
  const position = (offset: number): Position => {
    const { line, col } = lines.linePos(offset);
    return { line: options.sourceLine ? options.sourceLine(line) : line, column: col };
  };
  if (read.kind === "too-deep") throw new ConfigError([{ file, path: "", message: tooDeep(), fix: syntaxFixes.RESOURCE_EXHAUSTION, ...position(read.offset) }]);
  if (read.syntaxErrors.length > 0) {
    // One issue per line: the parser often reports a second, derived error at the same spot.
    const firstPerLine = read.syntaxErrors.filter((err, i, all) =>
      all.findIndex((other) => lines.linePos(other.offset).line === lines.linePos(err.offset).line) === i);
    throw new ConfigError(firstPerLine.map((err): Issue => ({
      file,
      path: "",
      // The limits above keep the parser off the end of its stack; should it get there all the same, it says so.
      message: err.code === "RESOURCE_EXHAUSTION" ? tooDeep() : `invalid YAML: ${err.message.split(" at line ")[0]?.split("\n")[0]}`,
      fix: blame(options.outputTag?.(lines.linePos(err.offset).line)) ??
        syntaxFixes[err.code] ?? "check the indentation and quoting on that line and the one before it",
      ...position(err.offset),
    })));
  }
  if (read.issues.length > 0)
    throw new ConfigError(read.issues.map(({ offset, message, fix }) => ({ file, path: "", message, ...(fix ? { fix } : {}), ...position(offset) })));
  // An anchored node is converted again at every alias; say it once.
  const warnings = [...new Set(read.warnings.map(({ offset, message }) => {
    const { line, column } = position(offset);
    return `${file}:${line}:${column}: ${message}`;
  }))];
  return {
    value: read.value,
    warnings,
    locate: (path) => {
      const offset = locateOffset(read, path);
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
  RESOURCE_EXHAUSTION: "nest lists and hashes less deeply; Kamal's YAML reader (Psych) stops at about 1,000 levels",
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

/** Follows a key path through the values read (aliases and merges expanded) to where its last entry was written. */
function locateOffset(read: Extract<YamlRead, { kind: "read" }>, path: KeyPath): number | undefined {
  let value = read.value;
  let offset: number | undefined = read.rootOffset;
  for (const segment of path) {
    if (typeof value !== "object" || value === null) return undefined;
    const key = Array.isArray(value) ? segment : String(segment);
    offset = read.entryOffsets.get(value)?.get(key);
    if (offset === undefined) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return offset;
}
