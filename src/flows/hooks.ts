// Local hooks (kamal-commands.md §4): `<hooks_path>/<name>` run on this machine through the executor, with the
// KAMAL_* environment, if the file exists and -H was not given.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import * as hook from "../commands/hook.ts";
import { utcTimestamp, type Details } from "../commands/tags.ts";
import type { HookVerbosity } from "../config/model.ts";
import { ownValue } from "../config/own-value.ts";
import type { Secret } from "../config/secret.ts";
import { HookError } from "../errors.ts";
import { LOCAL } from "../exec/executor.ts";
import type { Context } from "./context.ts";

/** The hooks Kamal 2.12 runs; only these names are looked up. */
export type HookName =
  | "pre-connect"
  | "pre-build"
  | "pre-deploy"
  | "post-deploy"
  | "pre-app-boot"
  | "post-app-boot"
  | "pre-proxy-reboot"
  | "post-proxy-reboot"
  | "docker-setup";

/** Hooks that get every secret in their environment (kamal lib/kamal/cli/main.rb, base.rb). */
const WITH_SECRETS: ReadonlySet<HookName> = new Set(["pre-connect", "pre-deploy", "post-deploy"]);

export type HookExtras = {
  /** KAMAL_HOSTS: the hosts of the current boot or reboot group; all selected hosts by default */
  readonly hosts?: readonly string[];
  /** KAMAL_RUNTIME, whole seconds (post-deploy) */
  readonly runtime?: number;
};

/**
 * Runs a hook if it exists and hooks are not skipped; returns whether it ran. A non-zero exit throws HookError
 * with the hook's output, whatever the verbosity.
 */
export async function runHook(ctx: Context, name: HookName, extras: HookExtras = {}): Promise<boolean> {
  const path = hook.hookFile(ctx.config, name);
  // Kamal checks the file relative to the app directory before running it; the executor runs it from there.
  if (ctx.options.skipHooks || !existsSync(resolve(ctx.cwd, path))) return false;

  const level = visibility(ctx, name);
  if (level !== "quiet") ctx.report.step(`Running the ${name} hook...`);

  const details: Details = {
    hosts: (extras.hosts ?? ctx.selection.hosts).join(","),
    roles: ctx.selection.rolesFilter?.join(","),
    lock: String(ctx.state.holdsLock),
    command: ctx.options.command,
    subcommand: ctx.options.subcommand,
    runtime: extras.runtime === undefined ? undefined : String(Math.round(extras.runtime)),
  };
  const performed = { recordedAt: utcTimestamp(ctx.now()), performer: await performer(ctx) };
  const secrets = WITH_SECRETS.has(name) ? await allSecrets(ctx) : undefined;
  const env = hook.env(ctx.config, performed, details, secrets);

  const result = await ctx.ex.attempt(LOCAL, hook.run(ctx.config, name), { env, signal: ctx.signal });
  if (result.code !== 0) throw new HookError(name, path, result);
  const output = `${result.stdout}${result.stderr}`.trimEnd();
  if (output && level === "verbose") {
    // -v shows all output anyway; `hooks_output: verbose` shows this hook's at the default level.
    if (ctx.options.verbose) ctx.report.output(LOCAL, output);
    else ctx.report.info(output, LOCAL);
  }
  return true;
}

/** The pre-connect hook, at most once per process, before the first connection to a host. */
export async function preConnect(ctx: Context): Promise<void> {
  if (ctx.state.preConnectDone) return;
  ctx.state.preConnectDone = true;
  await runHook(ctx, "pre-connect");
}

/** -v and -q always win; otherwise `hooks_output` (global or per hook) decides, §4.2. */
function visibility(ctx: Context, name: HookName): "quiet" | "default" | HookVerbosity {
  if (ctx.options.verbose) return "verbose";
  if (ctx.options.quiet) return "quiet";
  const setting = ctx.config.hooksOutput;
  if (setting === undefined) return "default";
  return typeof setting === "string" ? setting : (ownValue(setting, name) ?? "default");
}

async function allSecrets(ctx: Context): Promise<ReadonlyMap<string, Secret>> {
  await ctx.config.secrets.load();
  return ctx.config.secrets.all();
}

/** KAMAL_PERFORMER: `git config user.email`, else the local user name. */
export async function performer(ctx: Context): Promise<string> {
  return (await ctx.identity()).email;
}
