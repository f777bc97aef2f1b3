import { Command } from "commander";
import { addGlobalOptions, fromValues, VALUE_OPTIONS, type Globals } from "./globals.ts";

/**
 * Thor accepts `--skip_push` for `--skip-push` (kamal-commands.md §1.2); commander knows only the dashed
 * spelling, so long option names are rewritten before parsing. Values (`--hosts=web_1`) are left alone, and
 * nothing after `--` is touched.
 */
export function normalizeArgv(argv: readonly string[]): string[] {
  const end = argv.indexOf("--");
  return argv.map((token, i) => {
    if ((end !== -1 && i >= end) || !token.startsWith("--")) return token;
    const eq = token.indexOf("=");
    const name = eq === -1 ? token : token.slice(0, eq);
    return name.replaceAll("_", "-") + (eq === -1 ? "" : token.slice(eq));
  });
}

/** Where the command name is: the first word that is neither a global option nor a global option's value. */
export function commandIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? "";
    if (token === "--") return -1;
    if (!token.startsWith("-") || token === "-") return i;
    if (VALUE_OPTIONS.has(token)) i++;
  }
  return -1;
}

/**
 * The global options of an argv before the real parse: the reporter must exist before commander can report a
 * usage error, and an alias is looked up in the config that `-c`/`-d` point at. Unknown options and arguments
 * are ignored here; the real parse judges them.
 */
export function scanGlobals(argv: readonly string[]): Globals {
  const scan = addGlobalOptions(new Command())
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  try {
    scan.parse([...argv], { from: "user" });
  } catch {
    // A malformed global option (`--lock-wait-timeout abc`) is reported by the real parse.
  }
  return fromValues(scan.opts());
}

/**
 * `help app logs` as `app logs --help`: commander's help command looks up one level only, so it would show the
 * help of `app`.
 */
export function expandHelpCommand(argv: readonly string[]): string[] {
  const at = commandIndex(argv);
  if (at === -1 || argv[at] !== "help") return [...argv];
  return [...argv.slice(0, at), ...argv.slice(at + 1), "--help"];
}

/**
 * `sextant --version` with no command asks for sextant's version. With a value (`deploy --version abc`),
 * --version is Kamal's "app version to use", so only a trailing --version that nothing follows counts.
 */
export function asksForVersion(argv: readonly string[]): boolean {
  return commandIndex(argv) === -1 && argv.at(-1) === "--version" && !VALUE_OPTIONS.has(argv.at(-2) ?? "");
}

/**
 * The deepest command the words of `argv` name (`app logs` in `-d staging app logs --follow`), for pointing a
 * usage error at the right help. Values of options that take one are skipped, so they are never taken for a
 * command name.
 */
export function commandAt(program: Command, argv: readonly string[]): Command {
  let at = program;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? "";
    if (token === "--") break;
    if (token.startsWith("-")) {
      if (!token.includes("=") && takesValue(at, token)) i++;
      continue;
    }
    const sub = at.commands.find((c) => c.name() === token || c.aliases().includes(token));
    if (sub === undefined) break;
    at = sub;
  }
  return at;
}

function takesValue(cmd: Command, flag: string): boolean {
  for (let at: Command | null = cmd; at; at = at.parent) {
    const option = at.options.find((o) => o.short === flag || o.long === flag);
    if (option) return option.required || option.optional;
  }
  return false;
}
