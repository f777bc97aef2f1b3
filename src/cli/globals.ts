import { InvalidArgumentError, type Command, type OptionValues } from "commander";
import { DEFAULT_CONFIG_PATH } from "../config/find-config.ts";

/** Kamal 2.12's class options (kamal lib/kamal/cli/base.rb) plus sextant's --dry-run, --json, --no-color and --env-file. */
export type Globals = {
  readonly verbose: boolean;
  readonly quiet: boolean;
  /** --version: the app version to use instead of the computed one */
  readonly version: string | undefined;
  readonly primary: boolean;
  readonly hosts: string | undefined;
  readonly roles: string | undefined;
  readonly configFile: string;
  /** no -c: config/deploy.yml is looked for here and in the parent directories (src/config/find-config.ts) */
  readonly searchConfig: boolean;
  /** --env-file, in order: loaded into the environment before the config and its secrets are read */
  readonly envFiles: readonly string[];
  readonly destination: string | undefined;
  readonly skipHooks: boolean;
  readonly lockWait: boolean;
  readonly lockWaitTimeout: number;
  readonly lockWaitInterval: number;
  readonly lockStaleAfter: number;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly color: boolean;
};

export const DEFAULT_CONFIG_FILE = DEFAULT_CONFIG_PATH;

/** Global options that take a value; the argv pre-scan needs them to tell a value from a command name. */
export const VALUE_OPTIONS: ReadonlySet<string> = new Set([
  "--version",
  "-h",
  "--hosts",
  "-r",
  "--roles",
  "-c",
  "--config-file",
  "-d",
  "--destination",
  "--lock-wait-timeout",
  "--lock-wait-interval",
  "--lock-stale-after",
  "--env-file",
]);

function seconds(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError("expected a number of seconds");
  return n;
}

/** A repeatable option's values, in order (commander keeps only the last by default). */
const collect = (value: string, previous: readonly string[] | undefined): string[] => [...(previous ?? []), value];

/**
 * Declares the global options on the program. Commander recognises a program's options before and after the
 * subcommand, and the last occurrence wins, as with Thor (aliases rely on that).
 */
export function addGlobalOptions(program: Command): Command {
  return program
    .option("-v, --verbose", "Detailed logging: every command and all remote output")
    .option("-q, --quiet", "Minimal logging: only errors and the final summary")
    .option("--version <version>", "Run commands against a specific app version")
    .option("-p, --primary", "Run commands only on the primary host instead of all")
    .option("-h, --hosts <hosts>", "Run commands on these hosts instead of all (comma-separated, * wildcards)")
    .option("-r, --roles <roles>", "Run commands on these roles instead of all (comma-separated, * wildcards)")
    .option("-c, --config-file <path>", `Path to the config file (default: ${DEFAULT_CONFIG_FILE}, here or in a parent directory)`)
    .option("-d, --destination <name>", "Destination (staging -> config/deploy.staging.yml)")
    .option("-H, --skip-hooks", "Don't run hooks")
    .option("--lock-wait", "Wait for an automatic deploy lock to be released instead of failing")
    .option("--lock-wait-timeout <seconds>", "Longest wait for the deploy lock with --lock-wait", seconds, 900)
    .option("--lock-wait-interval <seconds>", "Seconds between deploy lock attempts with --lock-wait", seconds, 15)
    .option("--lock-stale-after <seconds>", "With --lock-wait, take over a sextant lock whose heartbeat stopped longer ago", seconds, 300)
    .option("--dry-run", "Print the commands that would run (HOST<tab>COMMAND) instead of running them")
    .option("--json", "Write NDJSON events to stdout instead of text")
    .option("--no-color", "Never colour the output")
    .option("--env-file <path>", "Load environment variables from a .env file (repeatable; the environment wins)", collect);
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown, fallback: number): number => (typeof v === "number" ? v : fallback);

/** The global options in force for the command being run, wherever on the line they were given. */
export function readGlobals(cmd: Command): Globals {
  return fromValues(cmd.optsWithGlobals());
}

export function fromValues(o: OptionValues): Globals {
  return {
    verbose: o.verbose === true,
    quiet: o.quiet === true,
    version: str(o.version),
    primary: o.primary === true,
    hosts: str(o.hosts),
    roles: str(o.roles),
    configFile: str(o.configFile) ?? DEFAULT_CONFIG_FILE,
    searchConfig: str(o.configFile) === undefined,
    envFiles: Array.isArray(o.envFile) ? o.envFile.filter((f): f is string => typeof f === "string") : [],
    destination: str(o.destination),
    skipHooks: o.skipHooks === true,
    lockWait: o.lockWait === true,
    lockWaitTimeout: num(o.lockWaitTimeout, 900),
    lockWaitInterval: num(o.lockWaitInterval, 15),
    lockStaleAfter: num(o.lockStaleAfter, 300),
    dryRun: o.dryRun === true,
    json: o.json === true,
    color: o.color !== false,
  };
}
