/**
 * libyaml's emitter (src/emitter.c, 0.2.5: the one Ruby's Psych writes with), for the block documents
 * `sextant config` prints. It takes a node tree like the one Psych's dumper builds and writes it the way libyaml
 * does: which scalar style is allowed (yaml_emitter_analyze_scalar, yaml_emitter_select_scalar_style), where lines
 * break once a scalar runs past 80 columns, block sequences under a mapping key not indented, `[]`/`{}` for empty
 * collections. Flow collections with content, anchors and the folded style are left out: Psych's default dump
 * never asks for them.
 */
export type ScalarStyle = "plain" | "single" | "double" | "literal";

export interface ScalarNode {
  readonly kind: "scalar";
  readonly value: string;
  /** Written only when neither implicit flag is set, as libyaml does. */
  readonly tag?: string;
  /** The scalar may be written plain / quoted without a tag and still read back as what it is. */
  readonly plainImplicit: boolean;
  readonly quotedImplicit: boolean;
  readonly style: ScalarStyle;
}
export interface SequenceNode {
  readonly kind: "sequence";
  readonly items: readonly YamlNode[];
}
export interface MappingNode {
  readonly kind: "mapping";
  readonly entries: readonly (readonly [YamlNode, YamlNode])[];
  /** An explicit tag, e.g. `!ruby/object:Net::SSH::Proxy::Jump`. */
  readonly tag?: string;
}
export type YamlNode = ScalarNode | SequenceNode | MappingNode;

/** `--- ` followed by the node, as `Psych.dump` writes one document. */
export function emitDocument(root: YamlNode): string {
  const emitter = new Emitter();
  emitter.document(root);
  return emitter.text;
}

const BEST_INDENT = 2;
const BEST_WIDTH = 80;
const MAX_SIMPLE_KEY_LENGTH = 128;

interface Context {
  readonly mapping: boolean;
  readonly simpleKey: boolean;
}
const IN_SEQUENCE: Context = { mapping: false, simpleKey: false };
const IN_MAPPING: Context = { mapping: true, simpleKey: false };
const AS_SIMPLE_KEY: Context = { mapping: true, simpleKey: true };

interface Analysis {
  readonly multiline: boolean;
  readonly blockPlainAllowed: boolean;
  readonly singleQuotedAllowed: boolean;
  readonly blockAllowed: boolean;
}

const isBreak = (c: string | undefined) => c === "\n" || c === "\r" || c === "\u0085" || c === "\u2028" || c === "\u2029";
const isSpace = (c: string | undefined) => c === " ";
const isBlankOrEnd = (c: string | undefined) => c === undefined || c === " " || c === "\t" || c === "\0" || isBreak(c);
const isPrintable = (c: string) => {
  const p = c.codePointAt(0)!;
  return p === 0x0a || (p >= 0x20 && p <= 0x7e) || (p >= 0xa0 && p <= 0xd7ff) || (p >= 0xe000 && p <= 0xfffd && p !== 0xfeff);
};
const FIRST_CHAR_INDICATORS = new Set("#,[]{}&*!|>'\"%@`");

/** yaml_emitter_analyze_scalar, for block context (no flow collection ever holds a scalar here). */
function analyze(chars: readonly string[]): Analysis {
  if (chars.length === 0) return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  const text = chars.join("");
  let blockIndicators = text.startsWith("---") || text.startsWith("...");
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let precededByWhitespace = true;
  let previousSpace = false;
  let previousBreak = false;
  chars.forEach((c, i) => {
    const followedByWhitespace = isBlankOrEnd(chars[i + 1]);
    if (i === 0) {
      if (FIRST_CHAR_INDICATORS.has(c)) blockIndicators = true;
      if ((c === "?" || c === ":" || c === "-") && followedByWhitespace) blockIndicators = true;
    } else {
      if (c === ":" && followedByWhitespace) blockIndicators = true;
      if (c === "#" && precededByWhitespace) blockIndicators = true;
    }
    if (!isPrintable(c)) special = true;
    if (isBreak(c)) lineBreaks = true;
    const last = i === chars.length - 1;
    if (isSpace(c)) {
      if (i === 0) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      [previousSpace, previousBreak] = [true, false];
    } else if (isBreak(c)) {
      if (i === 0) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      [previousSpace, previousBreak] = [false, true];
    } else {
      [previousSpace, previousBreak] = [false, false];
    }
    precededByWhitespace = isBlankOrEnd(c);
  });
  const edges = leadingSpace || leadingBreak || trailingSpace || trailingBreak;
  return {
    multiline: lineBreaks,
    blockPlainAllowed: !(edges || breakSpace || spaceBreak || special || lineBreaks || blockIndicators),
    singleQuotedAllowed: !(breakSpace || spaceBreak || special),
    blockAllowed: !(trailingSpace || spaceBreak || special),
  };
}

const DOUBLE_QUOTED_ESCAPES: Readonly<Record<string, string>> = {
  "\0": "0", "\x07": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r", "\x1b": "e",
  '"': '"', "\\": "\\", "\u0085": "N", "\u00a0": "_", "\u2028": "L", "\u2029": "P",
};

/** Tag characters libyaml writes as they are; anything else is %-escaped byte by byte. */
const TAG_CHAR = /^[0-9A-Za-z_\-;/?:@&=+$,.~*'()[\]]$/;

class Emitter {
  text = "";
  private column = 0;
  private whitespace = true;
  private indention = true;
  private indent = -1;
  private readonly indents: number[] = [];
  /** 2 after a `|+` scalar: the stream then ends with `...`. */
  private openEnded = 0;

  document(root: YamlNode): void {
    this.writeIndent();
    this.writeIndicator("---", true, false, false);
    this.node(root, { mapping: false, simpleKey: false });
    this.writeIndent();
    if (this.openEnded === 2) {
      this.writeIndicator("...", true, false, false);
      this.writeIndent();
    }
  }

  private node(node: YamlNode, context: Context): void {
    if (node.kind === "scalar") return this.scalar(node, context);
    if (node.kind === "mapping" && node.tag !== undefined) this.writeTag(node.tag);
    if (node.kind === "sequence" ? node.items.length === 0 : node.entries.length === 0) {
      this.writeIndicator(node.kind === "sequence" ? "[" : "{", true, true, false);
      this.writeIndicator(node.kind === "sequence" ? "]" : "}", false, false, false);
      return;
    }
    if (node.kind === "sequence") return this.blockSequence(node, context);
    this.blockMapping(node);
  }

  private blockSequence(node: SequenceNode, context: Context): void {
    // A sequence that is a mapping's value starts at the key's column.
    this.increaseIndent(false, context.mapping && !this.indention);
    for (const item of node.items) {
      this.writeIndent();
      this.writeIndicator("-", true, false, true);
      this.node(item, IN_SEQUENCE);
    }
    this.indent = this.indents.pop()!;
  }

  private blockMapping(node: MappingNode): void {
    this.increaseIndent(false, false);
    for (const [key, value] of node.entries) {
      this.writeIndent();
      if (isSimpleKey(key)) {
        this.node(key, AS_SIMPLE_KEY);
        this.writeIndicator(":", false, false, false);
      } else {
        this.writeIndicator("?", true, false, true);
        this.node(key, IN_MAPPING);
        this.writeIndent();
        this.writeIndicator(":", true, false, true);
      }
      this.node(value, IN_MAPPING);
    }
    this.indent = this.indents.pop()!;
  }

  private scalar(node: ScalarNode, context: Context): void {
    const chars = [...node.value];
    const analysis = analyze(chars);
    const style = selectStyle(node, analysis, context);
    const tagged = node.tag !== undefined && !node.plainImplicit && !node.quotedImplicit;
    if (tagged) this.writeTag(node.tag!);
    // With no tag, a scalar only quoted Ruby would not read back untagged gets the non-specific tag `!`.
    else if (!node.quotedImplicit && style !== "plain") this.writeTagPart("!");
    this.increaseIndent(true, false);
    const allowBreaks = !context.simpleKey;
    if (style === "plain") this.writePlain(chars, allowBreaks);
    else if (style === "single") this.writeSingleQuoted(chars, allowBreaks);
    else if (style === "double") this.writeDoubleQuoted(chars, allowBreaks);
    else this.writeLiteral(chars);
    this.indent = this.indents.pop()!;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private put(text: string): void {
    this.text += text;
    this.column += [...text].length;
  }

  private putBreak(): void {
    this.text += "\n";
    this.column = 0;
  }

  /** WRITE_BREAK: a line feed is written as the emitter's line break, other breaks as they are. */
  private writeBreak(c: string): void {
    this.text += c;
    this.column = 0;
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    this.put(" ".repeat(Math.max(indent - this.column, 0)));
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(" ");
    this.put(indicator);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private writeTag(tag: string): void {
    this.writeTagPart(...tagParts(tag));
  }

  private writeTagPart(handle: string, suffix = "", close = ""): void {
    if (!this.whitespace) this.put(" ");
    const escaped = [...suffix].map((c) =>
      TAG_CHAR.test(c) ? c : [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
    );
    this.put(handle + escaped.join("") + close);
    this.whitespace = false;
    this.indention = false;
  }

  private writePlain(chars: readonly string[], allowBreaks: boolean): void {
    if (!this.whitespace && chars.length > 0) this.put(" ");
    let spaces = false;
    let breaks = false;
    chars.forEach((c, i) => {
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && !isSpace(chars[i + 1])) this.writeIndent();
        else this.put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === "\n") this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    });
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingleQuoted(chars: readonly string[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    chars.forEach((c, i) => {
      if (isSpace(c)) {
        const inside = i !== 0 && i !== chars.length - 1;
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && inside && !isSpace(chars[i + 1])) this.writeIndent();
        else this.put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === "\n") this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c === "'" ? "''" : c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    });
    if (breaks) this.writeIndent();
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(chars: readonly string[], allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    let spaces = false;
    chars.forEach((c, i) => {
      if (!isPrintable(c) || c === "\ufeff" || isBreak(c) || c === '"' || c === "\\") {
        this.put(`\\${DOUBLE_QUOTED_ESCAPES[c] ?? hexEscape(c.codePointAt(0)!)}`);
        spaces = false;
      } else if (isSpace(c)) {
        const inside = i !== 0 && i !== chars.length - 1;
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && inside) {
          this.writeIndent();
          // A space that starts a continuation line would be folded away: escape it.
          if (isSpace(chars[i + 1])) this.put("\\");
        } else {
          this.put(c);
        }
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    });
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(chars: readonly string[]): void {
    this.writeIndicator("|", true, false, false);
    this.writeBlockScalarHints(chars);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = false;
        breaks = false;
      }
    }
  }

  /** An indentation digit when the text starts with a space or break; `-` strips, `+` keeps trailing breaks. */
  private writeBlockScalarHints(chars: readonly string[]): void {
    if (isSpace(chars[0]) || isBreak(chars[0])) this.writeIndicator(String(BEST_INDENT), false, false, false);
    this.openEnded = 0;
    const last = chars.at(-1);
    let chomp: string | undefined;
    if (!isBreak(last)) chomp = "-";
    else if (chars.length === 1 || isBreak(chars.at(-2))) {
      chomp = "+";
      this.openEnded = 2;
    }
    if (chomp !== undefined) this.writeIndicator(chomp, false, false, false);
  }
}

/** A tag through the default directives: `!x` keeps handle `!`, `tag:yaml.org,2002:x` becomes `!!x`, others `!<…>`. */
function tagParts(tag: string): [handle: string, suffix: string, close: string] {
  const standard = "tag:yaml.org,2002:";
  if (tag.startsWith("!") && tag.length > 1) return ["!", tag.slice(1), ""];
  if (tag.startsWith(standard) && tag.length > standard.length) return ["!!", tag.slice(standard.length), ""];
  return ["!<", tag, ">"];
}

function hexEscape(codePoint: number): string {
  const [letter, width] = codePoint <= 0xff ? ["x", 2] : codePoint <= 0xffff ? ["u", 4] : ["U", 8];
  return letter + codePoint.toString(16).toUpperCase().padStart(width, "0");
}

/** yaml_emitter_select_scalar_style, block context. */
function selectStyle(node: ScalarNode, analysis: Analysis, context: Context): ScalarStyle {
  const noTag = node.tag === undefined || node.plainImplicit || node.quotedImplicit;
  let style = node.style;
  if (context.simpleKey && analysis.multiline) style = "double";
  if (style === "plain") {
    if (!analysis.blockPlainAllowed) style = "single";
    if (node.value === "" && context.simpleKey) style = "single";
    if (noTag && !node.plainImplicit) style = "single";
  }
  if (style === "single" && !analysis.singleQuotedAllowed) style = "double";
  if (style === "literal" && (!analysis.blockAllowed || context.simpleKey)) style = "double";
  return style;
}

/** yaml_emitter_check_simple_key: a key fits on its line as `key:` when it is short, one line, and not a collection. */
function isSimpleKey(key: YamlNode): boolean {
  if (key.kind === "sequence") return key.items.length === 0;
  if (key.kind === "mapping") return key.entries.length === 0 && tagLength(key.tag) <= MAX_SIMPLE_KEY_LENGTH;
  if ([...key.value].some(isBreak)) return false;
  const written = key.plainImplicit || key.quotedImplicit ? undefined : key.tag;
  return tagLength(written) + Buffer.byteLength(key.value) <= MAX_SIMPLE_KEY_LENGTH;
}

/** libyaml counts the handle and the suffix, not the `!<`/`>` of a verbatim tag. */
function tagLength(tag: string | undefined): number {
  if (tag === undefined) return 0;
  const [handle, suffix] = tagParts(tag);
  return handle === "!<" ? Buffer.byteLength(suffix) : Buffer.byteLength(handle + suffix);
}
