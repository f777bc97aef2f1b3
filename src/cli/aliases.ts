import { UsageError } from "../errors.ts";
import { commandIndex, normalizeArgv, scanGlobals } from "./argv.ts";
import type { Globals } from "./globals.ts";
import { shellSplit } from "./shellwords.ts";

/** Reads `aliases:` from the config that the given -c/-d point at. */
export type AliasLookup = (globals: Globals) => Promise<Readonly<Record<string, string>>>;

/** An alias may name another alias; more hops than this is a loop. */
const MAX_HOPS = 10;

/**
 * When the command is not built in, looks it up in `aliases:` and restarts the parse with the alias words
 * followed by the rest of the original line, as Kamal does (kamal-commands.md §5.6). The user's own options come
 * after the alias's, so they win (`console -r workers` overrides the alias's `-r console`), and a `-c` or `-d`
 * inside the alias applies to the command it runs.
 */
export async function expandAliases(
  argv: readonly string[],
  builtins: ReadonlySet<string>,
  lookup: AliasLookup,
): Promise<string[]> {
  let line = [...argv];
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    const at = commandIndex(line);
    const name = line[at];
    if (at === -1 || name === undefined || builtins.has(name)) return line;
    const definition = (await lookup(scanGlobals(line)))[name];
    if (definition === undefined) {
      throw new UsageError(`Could not find command "${name}".`, {
        hint: `run \`sextant --help\` for the commands, or define "${name}" under aliases: in the config`,
      });
    }
    line = normalizeArgv([...shellSplit(definition, `aliases/${name}`), ...line.slice(0, at), ...line.slice(at + 1)]);
  }
  throw new UsageError(`aliases call each other in a loop: ${argv.join(" ")}`, {
    hint: "make one of the aliases name a built-in command",
  });
}
