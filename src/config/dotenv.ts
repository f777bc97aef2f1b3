// The dotenv dialect of .kamal/secrets: the parser of the dotenv gem 3.2.0 (which Kamal 2.12 pins) with Kamal's
// replacement for its command substitution (kamal lib/kamal/secrets/dotenv/inline_command_substitution.rb).
// Reference: kamal-config.md §15.2. Pure apart from the commands, which the caller runs.
import { ConfigError, type Issue } from "../errors.ts";
import { ownValue } from "./own-value.ts";
import type { Environment } from "../secrets/adapter.ts";
import { inspect } from "../secrets/ruby.ts";

/** Where a `$(...)` was written, for messages: its entry's line and key, and the command before `$VAR` expansion. */
export type CommandSite = { readonly line: number; readonly key: string; readonly written: string };

/** Runs one `$(...)` command (already `$VAR`-expanded) and returns its output, one trailing newline removed. */
export type RunCommand = (command: string, site: CommandSite) => Promise<string>;

export type DotenvResult = { readonly values: ReadonlyMap<string, string>; readonly warnings: readonly Issue[] };

// dotenv's LINE regex, translated from Ruby: `^`/`$` are line anchors there, `\s` is ASCII whitespace (newlines
// included, so a separator or a quoted value may reach onto following lines), and `.` stops at a newline.
const LINE =
  /(?:(?<![\s\S])|(?<=\n))[ \t\n\v\f\r]*(?<export>export[ \t\n\v\f\r]+)?(?<key>[A-Za-z0-9_.]+)(?:(?:[ \t\n\v\f\r]*=[ \t\n\v\f\r]*?|:[ \t\n\v\f\r]+?)(?<value>[ \t\n\v\f\r]*'(?:\\'|[^'])*'|[ \t\n\v\f\r]*"(?:\\"|[^"])*"|[^#\n]+)?)?[ \t\n\v\f\r]*(?:#[^\n]*)?(?:(?=\n)|(?![\s\S]))/dg;

const VARIABLE = /(\\)?\$(?!\()\{?([A-Za-z0-9_]+)?\}?/g;

/** Parses one secrets file. Later keys may refer to earlier ones; nothing is shared between files. */
export async function parseDotenv(
  text: string,
  options: { readonly file: string; readonly env: Environment; readonly runCommand: RunCommand },
): Promise<DotenvResult> {
  // dotenv opens files with "rb:bom|utf-8": a byte order mark is dropped.
  const source = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const values = new Map<string, string>();
  const warnings: Issue[] = [];
  const lookup = (name: string) => values.get(name) ?? ownValue(options.env, name) ?? "";
  for (const match of source.matchAll(LINE)) {
    const { export: exported, key = "", value } = match.groups ?? {};
    const line = lineOf(source, match.indices?.groups?.key?.[0] ?? match.index);
    if (exported !== undefined && value === undefined) {
      if (!values.has(key))
        throw new ConfigError([{ file: options.file, path: "", line, message: `Line ${inspect(match[0])} has an unset variable`,
          fix: `give ${key} a value (export ${key}=...), or define it on an earlier line` }]);
      continue;
    }
    const linebreaks = (values.get("DOTENV_LINEBREAK_MODE") ?? options.env.DOTENV_LINEBREAK_MODE) === "legacy";
    const site = { line, key };
    const parsed = await parseValue(value ?? "", { linebreaks, lookup, run: (cmd, written) => options.runCommand(cmd, { ...site, written }) });
    values.set(key, parsed.value);
    if (parsed.mangledBy !== undefined) warnings.push(quirkWarning(options.file, line, key, parsed.mangledBy));
  }
  return { values, warnings };
}

type ValueContext = {
  readonly linebreaks: boolean;
  readonly lookup: (name: string) => string;
  readonly run: (command: string, written: string) => Promise<string>;
};

/** One value, in dotenv 3.2.0's order: unquote, linebreaks, unescape, commands, then variables. */
async function parseValue(raw: string, ctx: ValueContext): Promise<{ value: string; mangledBy?: string }> {
  let value = raw.replace(/^[\0\t\n\v\f\r ]+|[\0\t\n\v\f\r ]+$/g, "");
  const quoted = /^(['"])([\s\S]*)\1$/.exec(value);
  const quote = quoted?.[1];
  if (quoted) value = quoted[2] ?? "";
  if (quote === "'") return { value };
  if (quote === '"')
    value = ctx.linebreaks
      ? value.replaceAll("\\n", "\n").replaceAll("\\r", "\r")
      // Escape them once more so the unescape below leaves a literal backslash-n.
      : value.replaceAll("\\n", "\\\\n").replaceAll("\\r", "\\\\r");
  value = value.replace(/\\([^$])/g, "$1");
  const { text, outputs } = await substituteCommands(value, ctx);
  // dotenv 3.2.0 quirk: variables are expanded after the commands ran, so a `$NAME` in a command's output (a
  // password, say) is expanded too. Kept for compatibility; the caller warns about it.
  let mangledBy: string | undefined;
  const expanded = text.replace(VARIABLE, (whole: string, backslash: string | undefined, name: string | undefined, at: number) => {
    if (backslash) return whole.slice(1);
    if (name === undefined) return whole;
    mangledBy ??= outputs.find((o) => at >= o.start && at < o.end)?.written;
    return ctx.lookup(name);
  });
  return mangledBy === undefined ? { value: expanded } : { value: expanded, mangledBy };
}

type Output = { readonly start: number; readonly end: number; readonly written: string };

/** Replaces every balanced `$(...)` with its command's output; `\$(...)` stays as the literal `$(...)`. */
async function substituteCommands(value: string, ctx: ValueContext): Promise<{ text: string; outputs: Output[] }> {
  let text = "";
  const outputs: Output[] = [];
  for (let i = 0; i < value.length; ) {
    const escaped = value[i] === "\\" && value[i + 1] === "$";
    const dollar = escaped ? i + 1 : i;
    const end = value[dollar] === "$" ? groupEnd(value, dollar + 1) : -1;
    if (end < 0) {
      text += value[i];
      i++;
      continue;
    }
    if (escaped) text += value.slice(dollar, end);
    else {
      const written = value.slice(dollar + 2, end - 1);
      const output = await ctx.run(written.replace(VARIABLE, (whole: string, backslash: string | undefined, name: string | undefined) =>
        backslash ? whole.slice(1) : name === undefined ? whole : ctx.lookup(name)), written);
      outputs.push({ start: text.length, end: text.length + output.length, written });
      text += output;
    }
    i = end;
  }
  return { text, outputs };
}

/**
 * The index just past the `)` that closes the group opening at `open`, or -1. Kamal's pattern: at least one
 * piece, each a backslash-escaped character (not a newline), a non-parenthesis, or a nested balanced group.
 */
function groupEnd(value: string, open: number): number {
  if (value[open] !== "(") return -1;
  let pieces = 0;
  for (let i = open + 1; i < value.length; pieces++) {
    const ch = value[i];
    if (ch === ")") return pieces > 0 ? i + 1 : -1;
    if (ch === "\\") {
      if (i + 1 >= value.length || value[i + 1] === "\n") return -1;
      i += 2;
    } else if (ch === "(") {
      i = groupEnd(value, i);
      if (i < 0) return -1;
    } else i++;
  }
  return -1;
}

function quirkWarning(file: string, line: number, key: string, written: string): Issue {
  return {
    file, path: key, line,
    message: `the output of $(${written}) contains a \`$NAME\` that was then expanded as a variable, as Kamal 2.12 ` +
      "does (dotenv 3.2.0), so the value is not what the command printed",
    fix: `if the \`$\` belongs to the secret, export the secret before running sextant and write ${key}=$VARIABLE ` +
      "(a value taken from the environment is not expanded again), or make the command print each `$` as `\\$`",
  };
}

const lineOf = (text: string, index: number): number => text.slice(0, index).split("\n").length;
