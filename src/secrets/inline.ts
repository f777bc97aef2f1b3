// `$(kamal secrets fetch ...)` and `$(kamal secrets extract ...)` inside a secrets file run in-process, as Kamal
// does (kamal lib/kamal/secrets/dotenv/inline_command_substitution.rb): the command's words go back through the
// CLI with `--inline`, so fetch answers with its JSON shell-escaped (one word for a later extract) and extract
// answers with the bare value. No `kamal` binary is needed, and `sextant` is accepted in its place.
import { UsageError } from "../errors.ts";
import type { Environment, Runner } from "./adapter.ts";
import { extractSecret } from "./extract.ts";
import { fetchSecrets, fetchedJson } from "./fetch.ts";
import { shellEscape } from "./shell-words.ts";

/** Kamal's test for an inline command, widened to our own name. */
export const INLINE_COMMAND = /^\s*(?:kamal|sextant)\s*secrets\s+/;

export type Local = { readonly runner: Runner; readonly cwd: string; readonly env: Environment };

/** Runs the words after the program name (`secrets fetch ...`) and returns what `--inline` returns. */
export async function runInline(words: readonly string[], local: Local): Promise<string> {
  const [group, subcommand, ...rest] = words;
  const { options, positional } = parseArgs(rest);
  if (group === "secrets" && subcommand === "fetch") {
    if (options.adapter === undefined) throw new UsageError("No value provided for required options '--adapter'");
    const fetched = await fetchSecrets(
      { adapter: options.adapter, account: options.account, from: options.from, names: positional, cwd: local.cwd, env: local.env },
      local.runner,
    );
    return shellEscape(fetchedJson(fetched));
  }
  if (group === "secrets" && subcommand === "extract") {
    const [name, json, ...extra] = positional;
    if (name === undefined || json === undefined || extra.length > 0)
      throw new UsageError(`secrets extract takes NAME and SECRETS, got ${positional.length} arguments`, {
        hint: "pass a name and the fetched secrets: `SECRETS=$(kamal secrets fetch ...)`, then `$(kamal secrets extract NAME $SECRETS)`",
      });
    return extractSecret(name, json);
  }
  throw new UsageError(`only \`secrets fetch\` and \`secrets extract\` can run inside a secrets file, not \`${words.join(" ")}\``);
}

const VALUED = new Map([["-a", "adapter"], ["--adapter", "adapter"], ["--account", "account"], ["--from", "from"]]);
const FLAGS = new Set(["--inline", "--no-inline"]);

/** Thor-style options anywhere among the arguments: `--name value`, `--name=value`, `-a value`, `--` ends them. */
function parseArgs(args: readonly string[]): { options: Partial<Record<string, string>>; positional: string[] } {
  const options: Partial<Record<string, string>> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--") {
      positional.push(...args.slice(i + 1));
      break;
    }
    const [flag = "", attached] = arg.startsWith("-") ? splitOnce(arg, "=") : [arg];
    const key = VALUED.get(flag);
    if (key !== undefined) {
      const value = attached ?? args[++i];
      if (value === undefined) throw new UsageError(`No value provided for option '${flag}'`);
      options[key] = value;
    } else if (FLAGS.has(arg)) continue;
    else if (arg.startsWith("-") && arg !== "-") throw new UsageError(`Unknown option ${arg} for secrets commands`);
    else positional.push(arg);
  }
  return { options, positional };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
