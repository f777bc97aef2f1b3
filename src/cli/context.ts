import type { SextantExecutor } from "../exec/create.ts";
import type { Config } from "../config/model.ts";
import type { Context, Identity } from "../flows/context.ts";
import type { LogCopies } from "../output/log-copies.ts";
import type { CliReporter } from "../output/reporter.ts";
import { ConfigError } from "../errors.ts";
import { enterApp } from "./app-dir.ts";
import type { CliIo } from "./deps.ts";
import type { Globals } from "./globals.ts";

export type ContextOptions = {
  readonly needsSecrets: boolean;
  /** the top-level command and its subcommand, for KAMAL_COMMAND / KAMAL_SUBCOMMAND */
  readonly command: string;
  readonly subcommand: string | undefined;
  /** the command changes the servers: `output:` keeps a log of its run (modifying.ts) */
  readonly modifies: boolean;
  readonly reporter: CliReporter;
  readonly io: CliIo;
  /** sextant's own version (the OTel scope's) */
  readonly version: string;
};

/**
 * Builds everything a flow needs from the global options. The config loader, the host selection and the
 * executors are loaded here, on demand, so commands that need none of them (version, docs, init) start fast.
 */
export async function loadContext(
  globals: Globals,
  opts: ContextOptions,
): Promise<Context & { readonly ex: SextantExecutor; readonly logCopies: LogCopies | undefined }> {
  const io = await enterApp(globals, opts.io, opts.reporter);
  const config = await loadAppConfig(globals, io, opts.reporter);
  if (opts.needsSecrets) await config.secrets.load();

  const { select } = await import("../config/selection.ts");
  const selection = select(config, { hosts: globals.hosts, roles: globals.roles, primary: globals.primary });
  opts.reporter.padTo([...selection.hosts, "local"]);

  const { createExecutor } = await import("../exec/create.ts");
  const { randomBytes } = await import("node:crypto");
  const { hostname } = await import("node:os");
  const clock = clockAndRandomness(io.env.SOURCE_DATE_EPOCH, randomBytes);
  const identity = memo(() => readIdentity(io.cwd, io.env));
  const logCopies = opts.modifies ? await startLogCopiesFor(config, globals, opts, { io, now: clock.now, identity }) : undefined;
  const reporter = logCopies?.reporter ?? opts.reporter;
  const ex = createExecutor({ dryRun: globals.dryRun, config, reporter, cwd: io.cwd, env: io.env, verbose: globals.verbose });

  return {
    config,
    selection,
    ex,
    logCopies,
    report: reporter,
    signal: io.signal,
    cwd: io.cwd,
    ...clock,
    options: {
      verbose: globals.verbose,
      quiet: globals.quiet,
      skipHooks: globals.skipHooks,
      dryRun: globals.dryRun,
      command: opts.command,
      subcommand: opts.subcommand,
      lockWait: {
        enabled: globals.lockWait, timeout: globals.lockWaitTimeout, interval: globals.lockWaitInterval, staleAfter: globals.lockStaleAfter,
      },
    },
    identity,
    runner: { machine: hostname(), pid: process.pid, isRunning: processRuns },
    // A sextant started by a hook inherits KAMAL_LOCK=true and must not take the lock again (kamal lib/kamal/commander.rb).
    state: { holdsLock: io.env.KAMAL_LOCK === "true", preConnectDone: false },
  };
}

/**
 * The log copies `output:` asks for (none when it asks for none): the file's directory is relative to the app, the
 * collector gets Kamal's deploy tags, with the performer as hooks see it.
 */
async function startLogCopiesFor(
  config: Config,
  globals: Globals,
  opts: ContextOptions,
  run: { io: CliIo; now: () => Date; identity: () => Promise<Identity> },
): Promise<LogCopies | undefined> {
  const { file, otel } = config.output;
  if (file === undefined && otel === undefined) return undefined;
  const [{ startLogCopies }, { resolve }, { randomUUID }, { KAMAL_VERSION }] = await Promise.all([
    import("../output/log-copies.ts"), import("node:path"), import("node:crypto"), import("../kamal-version.ts"),
  ]);
  return startLogCopies({
    file: file && { path: resolve(run.io.cwd, file.path) },
    otel,
    run: { command: opts.command, subcommand: opts.subcommand, destination: config.destination, startedAt: run.now(), dryRun: globals.dryRun },
    terminal: opts.reporter,
    tags: async () => ({ performer: (await run.identity()).email, destination: config.destination, version: config.version, service: config.service }),
    runId: randomUUID,
    now: run.now,
    versions: { kamal: KAMAL_VERSION, sextant: opts.version },
  });
}

/**
 * With SOURCE_DATE_EPOCH set (the reproducible-builds convention), time stands still at that second and "random"
 * suffixes count up from 1, so a dry run prints the same lines every time: tests and reviewers can diff them.
 */
function clockAndRandomness(epoch: string | undefined, randomBytes: (n: number) => Buffer): Pick<Context, "now" | "randomHex"> {
  if (epoch === undefined || !/^\d+$/.test(epoch)) return { now: () => new Date(), randomHex: (bytes) => randomBytes(bytes).toString("hex") };
  let counter = 0;
  return { now: () => new Date(Number(epoch) * 1000), randomHex: (bytes) => (++counter).toString(16).padStart(bytes * 2, "0") };
}

const memo = <T>(f: () => Promise<T>): (() => Promise<T>) => {
  let value: Promise<T> | undefined;
  return () => (value ??= f());
};

/**
 * `git config user.name` (empty when unset, "Unknown" without git) and `user.email` or `whoami` (kamal
 * lib/kamal/git.rb), read with one git process; `whoami` runs only when no email is set.
 */
async function readIdentity(cwd: string, env: CliIo["env"]): Promise<Identity> {
  const { captureFile } = await import("../exec/capture-file.ts");
  const git = await captureFile("git", ["config", "--get-regexp", "^user\\.(name|email)$"], { cwd, env });
  // One `key value` line per setting; the last of repeated keys wins, as with `git config user.name`.
  const values = new Map<string, string>();
  for (const line of git.stdout.split("\n")) {
    const match = /^user\.(name|email)(?: (.*))?$/.exec(line);
    if (match?.[1] !== undefined) values.set(match[1], match[2] ?? "");
  }
  const name = git.code === 127 ? "Unknown" : (values.get("name") ?? "").trim();
  const email = (values.get("email") ?? "").trim() || (await captureFile("whoami", [], { cwd, env })).stdout.trim();
  return { name, email };
}

/** Loads and validates the config the global options point at; its warnings go to the reporter. */
export async function loadConfigFor(globals: Globals, io: CliIo, reporter: CliReporter) {
  return loadAppConfig(globals, await enterApp(globals, io, reporter), reporter);
}

/** loadConfigFor in an io that enterApp already moved to the app. */
async function loadAppConfig(globals: Globals, io: CliIo, reporter: CliReporter) {
  const { loadConfig } = await import("../config/load.ts");
  const { config, warnings } = await loadConfig({
    configFile: globals.configFile,
    destination: globals.destination,
    version: globals.version,
    cwd: io.cwd,
    env: io.env,
    // Secrets load later (first use); their warnings, e.g. the dotenv `$` quirk, arrive here.
    warn: (message) => reporter.warn(message),
  }).catch((err: unknown) => {
    // The warnings come before the issues they may explain (a password from a command that failed).
    if (err instanceof ConfigError) for (const w of err.warnings) reporter.warn(w);
    throw err;
  });
  for (const w of warnings) reporter.warn(w);
  return config;
}

/** Signal 0 checks without signalling; EPERM means the process exists under another user. */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
