import type { Command } from "commander";
import { UsageError } from "../errors.ts";
import { grepText, logTime, wholeNumber } from "./parse.ts";
import type { Context } from "../flows/context.ts";
import { confirming } from "./confirming.ts";
import { dashedAliases } from "./command-names.ts";
import { followOrMerge } from "./log-options.ts";
import type { CliDeps } from "./deps.ts";
import { readGlobals } from "./globals.ts";

type ProxyFlows = typeof import("../flows/proxy-commands.ts");
type RemoveFlows = typeof import("../flows/proxy-remove.ts");

/** What commander parses `proxy boot_config` options into (see the option list below). */
type BootConfigFlags = {
  publish: boolean; publishHostIp?: string[]; httpPort: number; httpsPort: number; logMaxSize: string;
  registry?: string; repository?: string; imageVersion?: string; metricsPort?: number; debug?: boolean; dockerOptions?: string[];
};

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `proxy ...` (kamal-commands.md §6.6). */
export function registerProxy(program: Command, deps: CliDeps): void {
  const group = program.command("proxy").description("Manage kamal-proxy on the servers");
  const flows = (): Promise<ProxyFlows> => import("../flows/proxy-commands.ts");
  const simple = (name: string, description: string, run: (f: ProxyFlows, ctx: Context) => Promise<void>) =>
    group.command(name).description(description).action(async (_flags: unknown, cmd: Command) => {
      const f = await flows();
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) => run(f, ctx));
    });

  simple("boot", "Boot kamal-proxy on the servers", (f, ctx) => f.boot(ctx));
  simple("start", "Start an existing kamal-proxy container", (f, ctx) => f.start(ctx));
  simple("stop", "Stop the kamal-proxy container", (f, ctx) => f.stop(ctx));
  simple("restart", "Restart the kamal-proxy container", (f, ctx) => f.restart(ctx));
  simple("details", "Show details about the kamal-proxy container", (f, ctx) => f.details(ctx));

  group.command("reboot").description("Reboot kamal-proxy on the servers (stop, remove, run a new container)")
    .option("--rolling", "Reboot one host at a time")
    .option("-y, --confirmed", "Proceed without asking for confirmation")
    .option("--yes", "Same as -y")
    .action(async (flags: { rolling?: boolean; confirmed?: boolean; yes?: boolean }, cmd: Command) => {
      await confirming(deps, cmd, flags, "This will cause a brief outage on each host. Are you sure?", async () => {
        const f = await flows();
        await deps.withContext(cmd, { needsSecrets: true }, (ctx) => f.reboot(ctx, flags.rolling === true));
      });
    });

  group.command("upgrade", { hidden: true })
    .description("Upgrade from Traefik to kamal-proxy on the servers (stop and remove Traefik, boot kamal-proxy, reboot the app)")
    .option("--rolling", "Upgrade one host at a time")
    .option("-y, --confirmed", "Proceed without asking for confirmation")
    .option("--yes", "Same as -y")
    .action(async (flags: { rolling?: boolean; confirmed?: boolean; yes?: boolean }, cmd: Command) => {
      await confirming(deps, cmd, flags, "This will cause a brief outage on each host. Are you sure?", async () => {
        const { upgrade } = await import("../flows/proxy-upgrade.ts");
        const { version } = readGlobals(cmd);
        await deps.withContext(cmd, { needsSecrets: true }, (ctx) => upgrade(ctx, flags.rolling === true, version));
      });
    });

  const removal = (): Promise<RemoveFlows> => import("../flows/proxy-remove.ts");
  group.command("remove").description("Remove kamal-proxy from the servers")
    .option("--force", "Remove it even when other apps are installed")
    .action(async (flags: { force?: boolean }, cmd: Command) => {
      const f = await removal();
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => f.remove(ctx, flags.force === true));
    });
  // Kamal's hidden steps of `proxy remove` (hide: true in cli/proxy.rb), runnable on their own.
  const step = (name: string, description: string, run: (f: RemoveFlows, ctx: Context) => Promise<void>) =>
    group.command(name, { hidden: true }).aliases(dashedAliases(name)).description(description).action(async (_flags: unknown, cmd: Command) => {
      const f = await removal();
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => run(f, ctx));
    });
  step("remove_container", "Remove the stopped kamal-proxy container from the servers", (f, ctx) => f.removeContainer(ctx));
  step("remove_image", "Remove the kamal-proxy image from the servers", (f, ctx) => f.removeImage(ctx));
  step("remove_proxy_directory", "Remove the proxy directory from the servers", (f, ctx) => f.removeProxyDirectory(ctx));

  followOrMerge(group.command("logs").description("Show kamal-proxy's log lines from the servers")
    .option("-s, --since <time>", "Only lines since a timestamp or duration", logTime)
    .option("-n, --lines <n>", "Number of lines per server", wholeNumber)
    .option("-g, --grep <text>", "Only lines matching this text", grepText), "every selected proxy host")
    .option("-T, --skip-timestamps", "Leave out timestamps")
    .action(async (flags: Parameters<ProxyFlows["logs"]>[1], cmd: Command) => {
      const f = await flows();
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => f.logs(ctx, flags));
    });

  group.command("boot_config").alias("boot-config").description("Deprecated: manage kamal-proxy boot files (use proxy/run in deploy.yml)")
    .argument("<subcommand>", "set, get or reset")
    .option("--no-publish", "Don't publish the ports")
    .option("--publish-host-ip <ip>", "Host IP to publish the ports on (repeatable)", collect)
    .option("--http-port <port>", "HTTP port", wholeNumber, 80)
    .option("--https-port <port>", "HTTPS port", wholeNumber, 443)
    .option("--log-max-size <size>", "Max size of the proxy's docker logs (empty: no limit)", "10m")
    .option("--registry <registry>", "Registry of the kamal-proxy image")
    .option("--repository <name>", "Repository of the kamal-proxy image")
    .option("--image-version <version>", "Tag of the kamal-proxy image")
    .option("--metrics-port <port>", "Port for Prometheus metrics", wholeNumber)
    .option("--debug", "Debug logging in kamal-proxy")
    .option("--docker-options <option...>", "Extra docker run options (option=value)")
    .action(async (sub: string, o: BootConfigFlags, cmd: Command) => {
      const f = await flows();
      await deps.withContext(cmd, { needsSecrets: false }, async (ctx) => {
        if (sub === "get") return f.bootConfigGet(ctx);
        if (sub === "reset") return f.bootConfigReset(ctx);
        if (sub !== "set") throw new UsageError(`Unknown boot_config subcommand ${sub}`, { hint: "use set, get or reset" });
        return f.bootConfigSet(ctx, {
          publish: o.publish, bindIps: o.publishHostIp, httpPort: o.httpPort, httpsPort: o.httpsPort, logMaxSize: o.logMaxSize,
          registry: o.registry, repository: o.repository, imageVersion: o.imageVersion, metricsPort: o.metricsPort,
          debug: o.debug === true, dockerOptions: o.dockerOptions ?? [],
        });
      });
    });
}
