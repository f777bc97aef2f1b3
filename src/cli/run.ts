import { CommanderError, type Command } from "commander";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { CliReporter } from "../output/reporter.ts";
import { expandAliases } from "./aliases.ts";
import { locateApp } from "./app-dir.ts";
import { asksForVersion, commandAt, commandIndex, expandHelpCommand, normalizeArgv } from "./argv.ts";
import { booleanFlags, thorBooleans } from "./booleans.ts";
import { loadContext } from "./context.ts";
import type { CliDeps, CliIo } from "./deps.ts";
import { readGlobals, type Globals } from "./globals.ts";
import { isModifying } from "./modifying.ts";
import { checkOptionValues } from "./option-values.ts";
import { writeStatsFile } from "./stats-file.ts";
import { buildProgram, builtinNames, commandNames, programHelp } from "./program.ts";
import { unknownGlobalOptionError, usageErrorOf } from "./usage-error.ts";

/**
 * Parses and runs one command line. Resolves when the command finished; throws what it failed with (bin/ turns
 * that into a message and an exit code).
 */
export async function runCli(argv: readonly string[], io: CliIo, reporter: CliReporter, version: string): Promise<void> {
  const deps: CliDeps = { io, reporter, version, withContext: (cmd, opts, work) => withContext(cmd, opts, work, deps) };
  const program = buildProgram(deps);
  // `kamal -h` alone is help (kamal-commands.md §1.2); everywhere else -h is --hosts.
  let line = argv.length === 1 && argv[0] === "-h" ? ["--help"] : expandHelpCommand(normalizeArgv(argv));
  if (asksForVersion(line)) line = [...line.slice(0, -1), "version"];
  try {
    if (commandIndex(line) === -1 && !line.includes("--help")) {
      const unknown = program.parseOptions([...line]).unknown[0];
      if (unknown !== undefined) throw unknownGlobalOptionError(unknown, program);
      reporter.result(programHelp(program));
      return;
    }
    line = await expandAliases(line, builtinNames(program), (globals) => aliasesOf(globals, io), program.name());
    line = thorBooleans(line, booleanFlags(program));
    checkOptionValues(program, line);
    await program.parseAsync(line, { from: "user" });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.exitCode === 0) return; // help was shown
    throw usageErrorOf(err, commandAt(program, line));
  }
}

/** `aliases:` of the config -c/-d point at. Its warnings are left to the command the alias runs, which loads it again. */
async function aliasesOf(globals: Globals, io: CliIo): Promise<Readonly<Record<string, string>>> {
  const app = await locateApp(globals, io);
  // No config file: an unknown command is just unknown, not a config error.
  if (!existsSync(resolve(app.io.cwd, globals.configFile))) return {};
  const { loadConfig } = await import("../config/load.ts");
  const { configFile, destination, version } = globals;
  return (await loadConfig({ configFile, destination, version, cwd: app.io.cwd, env: app.io.env })).config.aliases;
}

async function withContext<T>(
  cmd: Command,
  opts: { needsSecrets: boolean },
  work: (ctx: Awaited<ReturnType<typeof loadContext>>) => Promise<T>,
  deps: CliDeps,
): Promise<T> {
  const names = { ...commandNames(cmd), modifies: isModifying(cmd) };
  const ctx = await loadContext(readGlobals(cmd), { ...opts, ...names, reporter: deps.reporter, io: deps.io, version: deps.version });
  let failure: unknown;
  try {
    return await work(ctx);
  } catch (err) {
    failure = err;
    throw err;
  } finally {
    try {
      await ctx.ex.close();
      writeStatsFile(deps.io.env.SEXTANT_STATS_FILE, ctx.ex.stats());
    } finally {
      // After close: a dry run's last words ("nothing was sent") belong in its log too. A run Ctrl-C stopped
      // failed, whatever its flow returned (execute.ts says so too).
      await ctx.logCopies?.finish(failure ?? (deps.io.signal.aborted ? deps.io.signal.reason : undefined));
    }
  }
}
