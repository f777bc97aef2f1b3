import { Command } from "commander";
import type { CliDeps } from "./deps.ts";
import { addGlobalOptions } from "./globals.ts";
import { registerConfig } from "./config.ts";
import { registerDocs } from "./docs.ts";
import { registerInit } from "./init.ts";
import { registerMain } from "./main.ts";
import { registerUpgrade } from "./upgrade.ts";
import { registerApp } from "./app.ts";
import { registerAccessory } from "./accessory.ts";
import { registerBuild } from "./build.ts";
import { registerProxy } from "./proxy.ts";
import { registerAudit } from "./audit.ts";
import { registerLock } from "./lock.ts";
import { registerCanary } from "./canary.ts";
import { registerPrune } from "./prune.ts";
import { registerRegistry } from "./registry.ts";
import { registerServer } from "./server.ts";
import { registerSecrets } from "./secrets.ts";
import { registerVersion } from "./version.ts";
import { registerCompletion } from "./completion.ts";

/** One command group: adds its commands to the program. Each lives in its own file under src/cli/. */
export type Register = (program: Command, deps: CliDeps) => void;

const GROUPS: readonly Register[] = [registerMain, registerCanary, registerUpgrade, registerApp, registerAccessory, registerBuild, registerProxy, registerAudit, registerLock, registerPrune, registerRegistry, registerServer, registerConfig, registerDocs, registerInit, registerSecrets, registerVersion, registerCompletion];

/**
 * The whole command tree, named as the user invoked it (`kamal` or `sextant`). Help is `--help` only: `-h` is
 * --hosts, as in Kamal. Commander never exits the process or prints errors itself; bin/ reports them, with
 * commander's "Did you mean" turned into the fix (usage-error.ts). Subcommands inherit these settings, so every
 * command's help lists the global options too.
 */
export function buildProgram(deps: CliDeps): Command {
  const name = deps.io.programName ?? "sextant";
  const program = addGlobalOptions(new Command(name))
    .description("Deploy containerized apps to your own servers; a drop-in for Kamal 2")
    .helpOption("--help", "Show help")
    .helpCommand("help [command]", "Show help for a command")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => deps.io.stdout.write(s),
      writeErr: (s) => deps.io.stderr.write(s),
      outputError: () => {},
    })
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError(true)
    .addHelpText("after", helpFooter(name));
  for (const register of GROUPS) register(program, deps);
  return program;
}

/** The program's help; shown by `sextant` alone, and the same as `sextant --help` prints. */
export function programHelp(program: Command): string {
  return `${program.helpInformation()}${helpFooter(program.name())}\n`;
}

// --version is Kamal's "app version to use" everywhere else, so its one other meaning needs saying.
const helpFooter = (name: string) =>
  [
    "",
    `Run \`${name} help COMMAND\` for a command's options, \`${name} --version\` for the version,`,
    `and \`${name} completion --help\` to set up tab completion in bash, zsh or fish.`,
  ].join("\n");

/** The names that are commands rather than aliases. */
export function builtinNames(program: Command): Set<string> {
  return new Set(["help", ...program.commands.flatMap((c) => [c.name(), ...c.aliases()])]);
}

/** `KAMAL_COMMAND` and `KAMAL_SUBCOMMAND` for an action's command (`app boot` → app, boot). */
export function commandNames(cmd: Command): { command: string; subcommand: string | undefined } {
  const parent = cmd.parent;
  if (!parent || !parent.parent) return { command: cmd.name(), subcommand: undefined };
  return { command: parent.name(), subcommand: cmd.name() };
}
