import { floatToS, RubyBignum, RubyFloat, RubySymbolValue } from "../ruby-scalar.ts";
import { plainKind } from "../psych-scalar.ts";
import { emitDocument, type ScalarNode, type YamlNode } from "./yaml-emitter.ts";

/** A Ruby Symbol: Psych writes `:name`. */
export class RubySymbol {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
}

/** A plain Ruby object: Psych writes `!ruby/object:ClassName` over its instance variables, in order. */
export class RubyObject {
  readonly className: string;
  readonly ivars: readonly (readonly [string, unknown])[];
  constructor(className: string, ivars: readonly (readonly [string, unknown])[]) {
    this.className = className;
    this.ivars = ivars;
  }
}

/**
 * What Ruby's `value.to_yaml` prints (Psych's YAMLTree visitor, then libyaml's emitter in ./yaml-emitter.ts), which
 * is what `kamal config` prints. Plain objects are Hashes with String keys; a Map is a Hash with any keys (symbol
 * keys are RubySymbols); integers print as Integers and other numbers as Floats.
 */
export function toYaml(value: unknown): string {
  return emitDocument(visit(value));
}

const scalar = (value: string, style: ScalarNode["style"] = "plain", plainImplicit = true, quotedImplicit = false): ScalarNode =>
  ({ kind: "scalar", value, style, plainImplicit, quotedImplicit });

function visit(value: unknown): YamlNode {
  if (value === null || value === undefined) return scalar("");
  if (typeof value === "boolean") return scalar(String(value));
  if (typeof value === "number") return scalar(Number.isInteger(value) ? String(value) : rubyFloat(value));
  // The loader's Ruby values (src/ruby-scalar.ts): a Float keeps its `.0`, an Integer every digit.
  if (value instanceof RubyFloat) return scalar(rubyFloat(value.value));
  if (value instanceof RubyBignum) return scalar(String(value));
  if (value instanceof RubySymbolValue) return visit(new RubySymbol(value.name));
  if (typeof value === "string") return visitString(value);
  if (value instanceof RubySymbol) {
    return value.name === "" ? { ...scalar("", "plain", false), tag: "!ruby/symbol" } : scalar(`:${value.name}`);
  }
  if (value instanceof Date) return scalar(rubyTime(value));
  if (Array.isArray(value)) return { kind: "sequence", items: visitAll(value) };
  if (value instanceof RubyObject) {
    return { kind: "mapping", tag: `!ruby/object:${value.className}`, entries: visitEntries(value.ivars, false) };
  }
  if (value instanceof Map) return { kind: "mapping", entries: visitEntries(value, true) };
  if (typeof value === "object") return { kind: "mapping", entries: visitEntries(Object.entries(value), true) };
  return visitString(String(value));
}

// Loops rather than map() callbacks: one stack frame per level of nesting, as config values can nest 1,500 levels deep.
function visitAll(values: readonly unknown[]): YamlNode[] {
  const nodes: YamlNode[] = [];
  for (const value of values) nodes.push(visit(value));
  return nodes;
}

function visitEntries(entries: Iterable<readonly [unknown, unknown]>, keysAreValues: boolean): [YamlNode, YamlNode][] {
  const nodes: [YamlNode, YamlNode][] = [];
  for (const [key, value] of entries) nodes.push([keysAreValues ? visit(key) : scalar(String(key)), visit(value)]);
  return nodes;
}

const WORD_CHAR = /[\p{L}\p{M}\p{Nd}\p{Pc}]/u; // Ruby's [[:word:]]

/**
 * Psych's choice of style for a String (YAMLTree#visit_String): a `|` block when it has a line break before its
 * last character, double quotes for "y"/"n" and for a string that starts with a non-word character and holds no
 * `"`, single quotes when Ruby would read it back as something else (`'true'`, `'1.0'`, `'08'`), else plain.
 * libyaml then overrules a style the text cannot be written in (a leading `-` followed by a space is never plain).
 */
function visitString(text: string): ScalarNode {
  if (/\n(?!\n?$)/.test(text)) return scalar(text, "literal", true, true);
  if (text === "<<") return { ...scalar(text, "single", false), tag: "tag:yaml.org,2002:str" };
  if (["y", "Y", "n", "N"].includes(text)) return scalar(text, "double", true, true);
  if (startsLineWithNonWord(text)) return scalar(text, "double", true, true);
  if (plainKind(text) !== "string" || /^0[0-7]*[89]/.test(text)) return scalar(text, "single", true, true);
  return scalar(text, "plain", true, true);
}

/** Ruby's /^[^[:word:]][^"]*$/: some line starts with a non-word character and no `"` follows before a line end. */
function startsLineWithNonWord(text: string): boolean {
  const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)].filter((i) => i < text.length);
  return lineStarts.some((start) => {
    const [first] = [...text.slice(start, start + 2)];
    const rest = text.slice(start + first!.length);
    return !WORD_CHAR.test(first!) && !/^[^"\n]*"/.test(rest);
  });
}

function rubyFloat(value: number): string {
  // Psych's visit_Float: .nan and .inf spelled as YAML does, Ruby's Float#to_s otherwise.
  if (Number.isNaN(value)) return ".nan";
  if (!Number.isFinite(value)) return value > 0 ? ".inf" : "-.inf";
  return floatToS(value);
}

/** A YAML date the loader read (midnight UTC) prints as Ruby's Date does; any other moment as a UTC Time. */
function rubyTime(date: Date): string {
  const iso = date.toISOString();
  if (iso.endsWith("T00:00:00.000Z")) return iso.slice(0, 10);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${iso.slice(20, 23)}000000 Z`;
}
