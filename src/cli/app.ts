import { InvalidArgumentError, type Command } from "commander";
import { containerId, grepOptions, grepText, logTime, wholeNumber } from "./parse.ts";
import { UsageError } from "../errors.ts";
import type { Context } from "../flows/context.ts";
import type { ExecFlags, LogFlags } from "../flows/app.ts";
import { dashedAliases } from "./command-names.ts";
import { followOrMerge } from "./log-options.ts";
import type { CliDeps } from "./deps.ts";

type AppFlows = typeof import("../flows/app.ts");
type RemoveFlows = typeof import("../flows/app-remove.ts");
import { readGlobals } from "./globals.ts";


/** `-e KEY:VALUE ...` (Thor hash option): every value up to the next option. */
const pair = (value: string, previous: Record<string, string> = {}): Record<string, string> => {
  const at = value.indexOf(":");
  if (at < 1) throw new InvalidArgumentError("expected KEY:VALUE");
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
};

/** `app ...` (kamal-commands.md §6.2). */
export function registerApp(program: Command, deps: CliDeps): void {
  const group = program.command("app").description("Manage the application");
  const flows = (): Promise<AppFlows> => import("../flows/app.ts");
  const simple = (name: string, description: string, run: (f: AppFlows, ctx: Context) => Promise<void>, needsSecrets = false) =>
    group.command(name).description(description).action(async (_flags: unknown, cmd: Command) => {
      const f = await flows();
      await deps.withContext(cmd, { needsSecrets }, (ctx) => run(f, ctx));
    });

  group.command("boot").description("Boot the app on the servers (or reboot it if already running)")
    .action(async (_flags: unknown, cmd: Command) => {
      const f = await flows();
      const { version } = readGlobals(cmd);
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) => f.boot(ctx, version));
    });
  simple("start", "Start existing app containers on the servers", (f, ctx) => f.start(ctx));
  simple("stop", "Stop the app containers on the servers", (f, ctx) => f.stop(ctx));
  simple("details", "Show details about the app containers", (f, ctx) => f.details(ctx));
  simple("containers", "Show the app containers on the servers", (f, ctx) => f.listContainers(ctx));
  simple("images", "Show the app images on the servers", (f, ctx) => f.listImages(ctx));
  simple("version", "Show the app version running on the servers", (f, ctx) => f.versions(ctx));
  simple("live", "Route traffic to the app again after maintenance", (f, ctx) => f.live(ctx));

  const removal = (): Promise<RemoveFlows> => import("../flows/app-remove.ts");
  const removing = (name: string, description: string, run: (f: RemoveFlows, ctx: Context) => Promise<void>, hidden = true) =>
    group.command(name, { hidden }).aliases(dashedAliases(name)).description(description).action(async (_flags: unknown, cmd: Command) => {
      const f = await removal();
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => run(f, ctx));
    });
  removing("remove", "Remove the app containers and images from the servers", (f, ctx) => f.remove(ctx), false);
  // Kamal's hidden steps of `app remove` (hide: true in cli/app.rb), runnable on their own.
  group.command("remove_container", { hidden: true }).alias("remove-container").description("Remove the app container of VERSION from the servers")
    .argument("<version>", "the version whose container to remove")
    .action(async (version: string, _flags: unknown, cmd: Command) => {
      const f = await removal();
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => f.removeContainer(ctx, version));
    });
  removing("remove_containers", "Remove all stopped app containers from the servers", (f, ctx) => f.removeContainers(ctx));
  removing("remove_images", "Remove all app images from the servers", (f, ctx) => f.removeImages(ctx));
  removing("remove_app_directories", "Remove the app directories from the servers", (f, ctx) => f.removeAppDirectories(ctx));

  group.command("maintenance").description("Answer requests with a maintenance page (503) until `app live`")
    .option("--drain-timeout <seconds>", "How long to let in-flight requests finish", wholeNumber)
    .option("--message <text>", "The message shown on the maintenance page")
    .action(async (flags: { drainTimeout?: number; message?: string }, cmd: Command) => {
      const f = await flows();
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => f.maintenance(ctx, flags));
    });

  group.command("stale_containers").alias("stale-containers").description("Detect app containers of old versions still running")
    .option("-s, --stop", "Stop the stale containers found")
    .action(async (flags: { stop?: boolean }, cmd: Command) => {
      const f = await flows();
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => f.staleContainers(ctx, flags.stop === true));
    });

  followOrMerge(group.command("logs").description("Show the app's log lines from the servers")
    .option("-s, --since <time>", "Only lines since a timestamp or duration (e.g. 2013-01-02T13:23:37Z, 42m)", logTime)
    .option("-n, --lines <n>", "Number of lines per server", wholeNumber)
    .option("-g, --grep <text>", "Only lines matching this text", grepText)
    .option("--grep-options <options>", "Extra grep options", grepOptions), "every selected host and role")
    .option("-T, --skip-timestamps", "Leave out timestamps")
    .option("--container-id <id>", "Read this container's logs instead of the current one (followed on the primary host only)", containerId)
    .action(async (flags: LogFlags, cmd: Command) => {
      const f = await flows();
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => f.showLogs(ctx, flags));
    });

  group.command("exec").description("Run a command in a new (or, with --reuse, the running) app container")
    .argument("[cmd...]", "the command")
    .option("-i, --interactive", "Run interactively, with a terminal, on the primary host")
    .option("--reuse", "Run in the running container instead of a new one")
    .option("-e, --env <KEY:VALUE>", "Extra environment for the command (repeatable)", pair)
    .option("--detach", "Start the container and leave it running")
    .option("--raw", "Print the output only, without host headers")
    .allowUnknownOption()
    .action(async (words: string[], flags: ExecFlags, cmd: Command) => {
      const clash = [flags.interactive && "interactive", flags.reuse && "reuse"].filter(Boolean);
      if (flags.detach && clash.length) throw new UsageError(`Detach is not compatible with ${clash.join(" or ")}`);
      const rawClash = [flags.interactive && "interactive", flags.detach && "detach"].filter(Boolean);
      if (flags.raw && rawClash.length) throw new UsageError(`Raw is not compatible with ${rawClash.join(" or ")}`);
      if (words.length === 0) throw new UsageError("No command provided. You must specify a command to execute.");
      const f = await flows();
      const { version } = readGlobals(cmd);
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) => f.execute(ctx, words, flags, version));
    });
}
