import { InvalidArgumentError, type Command } from "commander";
import type { Context } from "../flows/context.ts";
import { UsageError } from "../errors.ts";
import { confirming } from "./confirming.ts";
import { dashedAliases } from "./command-names.ts";
import { followOrMerge } from "./log-options.ts";
import type { CliDeps } from "./deps.ts";
import { grepOptions, grepText, logTime } from "./parse.ts";

type AccessoryFlows = typeof import("../flows/accessory.ts");
type MaintenanceFlows = typeof import("../flows/accessory-maintenance.ts");

const whole = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a whole number");
  return n;
};

/** `accessory ...` (kamal-commands.md §6.3): NAME is an accessory from deploy.yml, or `all` where noted. */
export function registerAccessory(program: Command, deps: CliDeps): void {
  const group = program.command("accessory").description("Manage accessories (databases, caches, search...)");
  const flows = (): Promise<AccessoryFlows> => import("../flows/accessory.ts");
  const maintenance = (): Promise<MaintenanceFlows> => import("../flows/accessory-maintenance.ts");
  const byName = (name: string, description: string, run: (f: AccessoryFlows, ctx: Context, accessory: string) => Promise<void>,
    opts: { needsSecrets?: boolean; hidden?: boolean } = {}) =>
    group.command(name, { hidden: opts.hidden ?? false }).description(description).argument("<name>", "accessory name, or all")
      .action(async (accessory: string, _flags: unknown, cmd: Command) => {
        const f = await flows();
        await deps.withContext(cmd, { needsSecrets: opts.needsSecrets ?? true }, (ctx) => run(f, ctx, accessory));
      });
  // Kamal's hidden steps of reboot and remove (hide: true in cli/accessory.rb), runnable on their own.
  const step = (name: string, description: string, run: (f: MaintenanceFlows, ctx: Context, accessory: string) => Promise<void>) =>
    group.command(name, { hidden: true }).aliases(dashedAliases(name)).description(description).argument("<name>", "accessory name, or all")
      .action(async (accessory: string, _flags: unknown, cmd: Command) => {
        const f = await maintenance();
        await deps.withContext(cmd, { needsSecrets: false }, (ctx) => run(f, ctx, accessory));
      });

  byName("boot", "Boot new accessory service on host (use NAME=all to boot all accessories)", (f, ctx, n) => f.boot(ctx, n));
  group.command("reboot").description("Reboot existing accessory on host (stop container, remove container, start new container)")
    .argument("<name>", "accessory name, or all")
    .action(async (name: string, _flags: unknown, cmd: Command) => {
      const f = await maintenance();
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) => f.reboot(ctx, name));
    });
  byName("start", "Start existing accessory container on host", (f, ctx, n) => f.start(ctx, n));
  byName("stop", "Stop existing accessory container on host", (f, ctx, n) => f.stop(ctx, n), { needsSecrets: false });
  byName("restart", "Restart existing accessory container on host", (f, ctx, n) => f.restart(ctx, n));
  byName("details", "Show details about accessory on host (use NAME=all to show all accessories)", (f, ctx, n) => f.details(ctx, n), { needsSecrets: false });
  byName("upload", "Upload accessory files to host", (f, ctx, n) => f.upload(ctx, n), { hidden: true });
  byName("directories", "Create accessory directories on host", (f, ctx, n) => f.directories(ctx, n), { needsSecrets: false, hidden: true });
  step("pull_image", "Pull accessory image on host", (f, ctx, n) => f.pullImage(ctx, n));
  step("remove_container", "Remove accessory container from host", (f, ctx, n) => f.removeContainer(ctx, n));
  step("remove_image", "Remove accessory image from host", (f, ctx, n) => f.removeImage(ctx, n));
  step("remove_service_directory", "Remove accessory directory used for uploaded files and data directories from host",
    (f, ctx, n) => f.removeServiceDirectory(ctx, n));

  group.command("remove").description("Remove accessory container, image and data directory from host (use NAME=all to remove all accessories)")
    .argument("<name>", "accessory name, or all")
    .option("-y, --confirmed", "Proceed without asking for confirmation")
    .option("--yes", "Same as -y")
    .action(async (name: string, flags: { confirmed?: boolean; yes?: boolean }, cmd: Command) => {
      const question = `This will remove all containers, images and data directories for ${name}. Are you sure?`;
      await confirming(deps, cmd, flags, question, async () => {
        const f = await maintenance();
        await deps.withContext(cmd, { needsSecrets: false }, (ctx) => f.remove(ctx, name));
      });
    });

  group.command("upgrade").description("Upgrade accessories from Kamal 1.x to 2.0 (restart them in the kamal network)")
    .argument("<name>", "accessory name, or all")
    .option("--rolling", "Upgrade one host at a time")
    .option("-y, --confirmed", "Proceed without asking for confirmation")
    .option("--yes", "Same as -y")
    .action(async (name: string, flags: { rolling?: boolean; confirmed?: boolean; yes?: boolean }, cmd: Command) => {
      await confirming(deps, cmd, flags, "This will restart all accessories", async () => {
        const f = await maintenance();
        await deps.withContext(cmd, { needsSecrets: true }, (ctx) => f.upgrade(ctx, name, flags.rolling === true));
      });
    });

  group.command("exec").description("Execute a custom command on servers within the accessory container")
    .argument("<name>", "accessory name")
    .argument("<cmd...>", "the command")
    .option("-i, --interactive", "Run interactively, with a terminal, on the accessory's first host")
    .option("--reuse", "Run in the running container instead of a new one")
    .option("--raw", "Print the output only, as the command wrote it, without host headers")
    .allowUnknownOption()
    .action(async (name: string, words: string[], flags: { interactive?: boolean; reuse?: boolean; raw?: boolean }, cmd: Command) => {
      if (flags.raw && flags.interactive) throw new UsageError("Raw is not compatible with interactive");
      if (words.length === 0) throw new UsageError("No command provided. You must specify a command to execute.");
      const f = await flows();
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) => f.execute(ctx, name, words, flags));
    });

  followOrMerge(group.command("logs").description("Show log lines from accessory on host")
    .argument("<name>", "accessory name")
    .option("-s, --since <time>", "Only lines since a timestamp or duration", logTime)
    .option("-n, --lines <n>", "Number of lines per server", whole)
    .option("-g, --grep <text>", "Only lines matching this text", grepText)
    .option("--grep-options <options>", "Extra grep options", grepOptions), "the accessory on every selected host")
    .option("-T, --skip-timestamps", "Leave out timestamps")
    .action(async (name: string, flags: Parameters<AccessoryFlows["logs"]>[2], cmd: Command) => {
      const f = await flows();
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => f.logs(ctx, name, flags));
    });
}
