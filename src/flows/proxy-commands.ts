// `proxy ...` subcommands (kamal-commands.md §6.6) on the proxy hosts of the selection.
import * as proxy from "../commands/proxy.ts";
import * as bootConfig from "../commands/proxy-boot-config.ts";
import type { Shell } from "../commands/shell.ts";
import { onHosts } from "../exec/parallel.ts";
import { auditStep } from "./audit.ts";
import type { Context } from "./context.ts";
import { preConnect, runHook } from "./hooks.ts";
import { followStreams, printMerged, type LogStream } from "./log-streams.ts";
import { withLock } from "./lock.ts";
import { bootProxyOn } from "./proxy.ts";
import { loginOnHost } from "./registry.ts";
import { printByHost } from "./by-host.ts";

/** Runs `work` on each proxy host of the selection (or `hosts`), after the pre-connect hook. */
export const onProxyHosts = async <T>(ctx: Context, work: (host: string) => Promise<T>, hosts = ctx.selection.proxyHosts): Promise<Map<string, T>> => {
  await preConnect(ctx);
  return onHosts(hosts, work, { signal: ctx.signal });
};

export async function boot(ctx: Context): Promise<void> {
  await withLock(ctx, async () => {
    await preConnect(ctx);
    await onHosts(ctx.selection.hosts, async (host) => {
      if (ctx.selection.proxyHosts.includes(host)) await loginOnHost(ctx, host);
      await bootProxyOn(ctx, host);
    }, { signal: ctx.signal });
  });
}

/** Stop, remove and run a new kamal-proxy; routes survive in its state volume. `rolling`: one host at a time. */
export async function reboot(ctx: Context, rolling: boolean): Promise<void> {
  await withLock(ctx, async () => {
    const hosts = ctx.selection.proxyHosts;
    const groups = rolling ? hosts.map((h) => [h]) : [[...hosts]];
    for (const group of groups) {
      await runHook(ctx, "pre-proxy-reboot", { hosts: group });
      await onProxyHosts(ctx, async (host) => {
        await loginOnHost(ctx, host);
        await ctx.ex.script(host, [
          await auditStep(ctx, "Rebooted proxy"),
          { cmd: proxy.stop(), ignoreFailure: true },
          { cmd: proxy.removeContainer() },
          { cmd: proxy.ensureAppsConfigDirectory() },
          { cmd: proxy.run(proxy.proxyRunFor(ctx.config, host)) },
        ], { signal: ctx.signal });
      }, group);
      await runHook(ctx, "post-proxy-reboot", { hosts: group });
    }
  });
}

export async function start(ctx: Context): Promise<void> {
  await withLock(ctx, () => onProxyHosts(ctx, async (host) =>
    ctx.ex.script(host, [await auditStep(ctx, "Started proxy"), { cmd: proxy.start() }], { signal: ctx.signal })));
}

export async function stop(ctx: Context): Promise<void> {
  await withLock(ctx, () => onProxyHosts(ctx, async (host) =>
    ctx.ex.script(host, [await auditStep(ctx, "Stopped proxy"), { cmd: proxy.stop(), ignoreFailure: true }], { signal: ctx.signal })));
}

export async function restart(ctx: Context): Promise<void> {
  await withLock(ctx, async () => {
    await stop(ctx);
    await start(ctx);
  });
}

export async function details(ctx: Context): Promise<void> {
  const out = await onProxyHosts(ctx, (host) => ctx.ex.capture(host, proxy.info(), { signal: ctx.signal }));
  printByHost(ctx, "Proxy", out);
}

export type ProxyLogFlags = { since?: string; lines?: number; grep?: string; follow?: boolean; skipTimestamps?: boolean; merge?: boolean };

/**
 * `proxy logs`: a `Proxy Host:` block per host, as Kamal prints them; with `merge`, every line in one list in time
 * order; with `follow`, the lines of every proxy host of the selection as they come (Kamal follows the primary
 * host only).
 */
export async function logs(ctx: Context, flags: ProxyLogFlags): Promise<void> {
  const streams = (cmd: Shell): LogStream[] => ctx.selection.proxyHosts.map((host) => ({ source: { host }, cmd }));
  if (flags.follow) {
    await followStreams(ctx, streams(proxy.followingLogs({ timestamps: !flags.skipTimestamps, grep: flags.grep })));
    return;
  }
  const unlimited = flags.since !== undefined || flags.grep !== undefined;
  const opts = { since: flags.since, lines: flags.lines ?? (unlimited ? undefined : 100), grep: flags.grep };
  if (flags.merge) {
    // Merging orders lines by docker's timestamps, so they are asked for even under -T, and left out when printed.
    await printMerged(ctx, streams(proxy.logs(opts)), { timestamps: !flags.skipTimestamps });
    return;
  }
  const out = await onProxyHosts(ctx, (host) => ctx.ex.capture(host, proxy.logs({ ...opts, timestamps: !flags.skipTimestamps }), { signal: ctx.signal }));
  printByHost(ctx, "Proxy", out);
}

const DEPRECATED = "The proxy boot_config command is deprecated - set the config in the deploy YAML at proxy/run instead";

export async function bootConfigGet(ctx: Context): Promise<void> {
  ctx.report.warn(DEPRECATED);
  const out = await onProxyHosts(ctx, (host) => ctx.ex.capture(host, bootConfig.readBootConfig(), { signal: ctx.signal }));
  ctx.report.result([...out].map(([host, line]) => `Host ${host}: ${line}`).join("\n"), Object.fromEntries(out));
}

export async function bootConfigReset(ctx: Context): Promise<void> {
  ctx.report.warn(DEPRECATED);
  await onProxyHosts(ctx, (host) => ctx.ex.script(host, [
    { cmd: bootConfig.resetBootOptions(), ignoreFailure: true },
    { cmd: bootConfig.resetImage(), ignoreFailure: true },
    { cmd: bootConfig.resetImageVersion(), ignoreFailure: true },
    { cmd: bootConfig.resetRunCommand(), ignoreFailure: true },
  ], { signal: ctx.signal }));
}

export async function bootConfigSet(ctx: Context, opts: bootConfig.BootConfigOptions): Promise<void> {
  ctx.report.warn(DEPRECATED);
  const files = bootConfig.bootConfigFiles(opts);
  const targets = [
    [bootConfig.OPTIONS_FILE, files.options, bootConfig.resetBootOptions()],
    [bootConfig.IMAGE_FILE, files.image, bootConfig.resetImage()],
    [bootConfig.IMAGE_VERSION_FILE, files.imageVersion, bootConfig.resetImageVersion()],
    [bootConfig.RUN_COMMAND_FILE, files.runCommand, bootConfig.resetRunCommand()],
  ] as const;
  await onProxyHosts(ctx, async (host) => {
    await ctx.ex.run(host, proxy.ensureProxyDirectory(), { signal: ctx.signal });
    for (const [path, body, reset] of targets) {
      if (body === undefined) await ctx.ex.attempt(host, reset, { signal: ctx.signal });
      else await ctx.ex.upload(host, { path, body, mode: 0o644 }, { signal: ctx.signal });
    }
  });
}
