// A small pflag-compatible flag parser. Generic parsers differ from pflag in ways Kamal's command lines
// expose: pflag takes a boolean's value only through "=", splits slice values as CSV, requires duration
// units and accepts flags on either side of positional arguments. Messages are pflag's, word for word.
import { parseDuration } from "./duration.ts";

export type FlagKind = "bool" | "string" | "strings" | "duration" | "int";
export type FlagValue = boolean | string | string[] | number | null;
export type FlagSpec = { readonly name: string; readonly kind: FlagKind; readonly default: FlagValue };

export type ParsedFlags = {
  readonly values: Map<string, FlagValue>;
  readonly changed: ReadonlySet<string>;
  readonly positionals: string[];
  readonly help: boolean;
};

/** A user error in the command line: the CLI prints `Error: <message>` and exits 1. */
export class UsageError extends Error {}

export function parseFlags(args: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const values = new Map<string, FlagValue>(specs.map((spec) => [spec.name, spec.default]));
  const changed = new Set<string>();
  const positionals: string[] = [];
  let help = false;

  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      if (name === "help") {
        help = true;
        continue;
      }
      const spec = byName.get(name);
      if (spec === undefined) throw new UsageError(`unknown flag: --${name}`);
      let text: string;
      if (eq >= 0) text = arg.slice(eq + 1);
      else if (spec.kind === "bool") text = "true";
      else if (i + 1 < args.length) text = args[++i] ?? "";
      else throw new UsageError(`flag needs an argument: --${name}`);
      values.set(name, convert(spec, text, changed.has(name) ? values.get(name) ?? null : null));
      changed.add(name);
    } else if (arg.startsWith("-") && arg.length > 1) {
      // Cobra registers only -h as a shorthand on kamal-proxy's commands.
      if (arg[1] !== "h") throw new UsageError(`unknown shorthand flag: '${arg[1]}' in ${arg}`);
      help = true;
    } else {
      positionals.push(arg);
    }
  }
  return { values, changed, positionals, help };
}

function convert(spec: FlagSpec, text: string, previous: FlagValue): FlagValue {
  const invalid = (reason: string) =>
    new UsageError(`invalid argument ${JSON.stringify(text)} for "--${spec.name}" flag: ${reason}`);
  switch (spec.kind) {
    case "string":
      return text;
    case "bool": {
      if (["1", "t", "T", "true", "TRUE", "True"].includes(text)) return true;
      if (["0", "f", "F", "false", "FALSE", "False"].includes(text)) return false;
      throw invalid(`strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`);
    }
    case "int": {
      const value = parseGoInt(text);
      if (value === undefined) throw invalid(`strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`);
      return value;
    }
    case "duration":
      try {
        return parseDuration(text);
      } catch (err) {
        throw invalid((err as Error).message);
      }
    case "strings": {
      if (text === "") throw invalid("EOF");
      const items = splitCsv(text);
      // The first use replaces the default; later uses append, as pflag's stringSlice does.
      return Array.isArray(previous) ? [...previous, ...items] : items;
    }
  }
}

/** strconv.ParseInt(s, 0, 64): base prefixes, a leading 0 for octal, and "_" separators after a prefix. */
function parseGoInt(text: string): number | undefined {
  const match = /^([+-]?)(0[xX][\da-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9]\d*)$/.exec(text);
  if (match === null) return undefined;
  const [, sign, digits = ""] = match;
  const clean = digits.replaceAll("_", "");
  const value = /^0[0-7]+$/.test(clean) ? parseInt(clean.slice(1), 8) : Number(clean);
  return sign === "-" ? -value : value;
}

/** One CSV record, as Go's encoding/csv reads it: commas separate, double quotes group. */
function splitCsv(text: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  fields.push(field);
  return fields;
}
