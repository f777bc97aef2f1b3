import { closest } from "../config/suggest.ts";
import { UsageError } from "../errors.ts";
import { ownValue } from "../config/own-value.ts";
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
 * inside the alias applies to the command it runs. A name that is neither gets a guess among both.
 */
export async function expandAliases(
  argv: readonly string[],
  builtins: ReadonlySet<string>,
  lookup: AliasLookup,
  programName = "sextant",
): Promise<string[]> {
  let line = [...argv];
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    const at = commandIndex(line);
    const name = line[at];
    if (at === -1 || name === undefined || builtins.has(name)) return line;
    const aliases = await lookup(scanGlobals(line));
    const definition = ownValue(aliases, name);
    if (definition === undefined) {
      const guess = closest(name, [...builtins, ...Object.keys(aliases)]);
      throw new UsageError(`Could not find command "${name}".`, {
        hint: guess === undefined
          ? `run \`${programName} --help\` for the commands, or define "${name}" under aliases: in the config`
          : `did you mean \`${programName} ${guess}\`? \`${programName} --help\` lists the commands`,
      });
    }
    line = normalizeArgv([...shellSplit(definition, `aliases/${name}`), ...line.slice(0, at), ...line.slice(at + 1)]);
  }
  throw new UsageError(`aliases call each other in a loop: ${argv.join(" ")}`, {
    hint: "make one of the aliases name a built-in command",
  });
}
