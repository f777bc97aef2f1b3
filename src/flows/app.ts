// `app` subcommands (kamal-commands.md §6.2) other than the boot itself, which lives in app-boot.ts.
import * as app from "../commands/app.ts";
import * as containers from "../commands/app-containers.ts";
import * as exec from "../commands/app-exec.ts";
import * as logs from "../commands/app-logs.ts";
import * as appProxy from "../commands/app-proxy.ts";
import * as query from "../commands/app-query.ts";
import { latestTag } from "../commands/names.ts";
import type { Shell } from "../commands/shell.ts";
import type { Role } from "../config/model.ts";
import { onHosts } from "../exec/parallel.ts";
import { withVersion } from "./app-boot.ts";
import { printByHost } from "./by-host.ts";
import { auditStep } from "./audit.ts";
import { BootError } from "./boot.ts";
import type { Context } from "./context.ts";
import { bootAndReport } from "./deploy.ts";
import { preConnect } from "./hooks.ts";
import { interactive } from "./interactive.ts";
import { followStreams, printMerged, type LogStream } from "./log-streams.ts";
import { withLock } from "./lock.ts";
import { loginOnHost } from "./registry.ts";
import { requireSecrets, selectedRoles } from "./require-secrets.ts";

/** Every (host, role) pair of the selection, hosts in parallel, a host's roles one after another. */
export async function onRoles<T>(ctx: Context, work: (host: string, role: Role) => Promise<T>, hosts = ctx.selection.appHosts): Promise<Map<string, T[]>> {
  await preConnect(ctx);
  return onHosts(hosts, async (host) => {
    const out: T[] = [];
    for (const role of ctx.selection.rolesOnHost(host)) out.push(await work(host, role));
    return out;
  }, { signal: ctx.signal });
}

/** `App Host:` blocks of each host's outputs (one per role on the host). */
const printApp = (ctx: Context, outputs: Map<string, string[]>): void =>
  printByHost(ctx, "App", new Map([...outputs].map(([host, out]) => [host, out.join("\n")])));

/** `app boot`: without --version Kamal boots the latest tag (`latest[-DEST]`). */
export async function boot(ctx: Context, version: string | undefined): Promise<void> {
  await requireSecrets(ctx, { roles: selectedRoles(ctx) });
  if (version === undefined) ctx.report.step("Get most recent version available as an image...");
  const v = version ?? latestTag(ctx.config);
  await withLock(ctx, () => bootAndReport(ctx, { version: v, proxy: false, stale: false, prune: false }));
}

export async function start(ctx: Context): Promise<void> {
  await withLock(ctx, async () => {
    await onRoles(ctx, async (host, role) => {
      const [, , current] = await ctx.ex.script(host, [
        await auditStep(ctx, `Started app version ${ctx.config.version}`, { role: role.name }),
        { cmd: app.start(ctx.config, role), ignoreFailure: true },
        ...(role.proxy ? [{ cmd: query.currentRunningVersion(ctx.config, role), ignoreFailure: true }] : []),
      ], { signal: ctx.signal });
      if (!role.proxy) return;
      const config = withVersion(ctx.config, current?.stdout.trim() || ctx.config.version);
      const id = await ctx.ex.capture(host, query.containerIdForVersion(config, role, config.version), { signal: ctx.signal });
      if (!id && !ctx.options.dryRun) throw new BootError(`Failed to get endpoint for ${role.name} on ${host}, did the container boot?`);
      await ctx.ex.run(host, appProxy.deploy(config, role, id || "CONTAINER_ID"), { signal: ctx.signal });
    });
  });
}

export async function stop(ctx: Context): Promise<void> {
  await withLock(ctx, async () => {
    await onRoles(ctx, async (host, role) => {
      const [, id] = await ctx.ex.script(host, [
        await auditStep(ctx, "Stopped app", { role: role.name }),
        { cmd: query.currentRunningContainerId(ctx.config, role), ignoreFailure: true },
      ], { signal: ctx.signal });
      const steps = [
        ...(role.proxy && (id?.stdout.trim() || ctx.options.dryRun) ? [{ cmd: appProxy.remove(role) }] : []),
        { cmd: app.stop(ctx.config, role), ignoreFailure: true },
      ];
      await ctx.ex.script(host, steps, { signal: ctx.signal });
    });
  });
}

export async function details(ctx: Context): Promise<void> {
  printApp(ctx, await onRoles(ctx, (host, role) => ctx.ex.capture(host, query.info(ctx.config, role), { signal: ctx.signal })));
}

export async function listContainers(ctx: Context): Promise<void> {
  await preConnect(ctx);
  const out = await onHosts(ctx.selection.appHosts, async (host) => [await ctx.ex.capture(host, containers.listContainers(ctx.config, undefined), { signal: ctx.signal })], { signal: ctx.signal });
  printApp(ctx, out);
}

export async function listImages(ctx: Context): Promise<void> {
  await preConnect(ctx);
  const out = await onHosts(ctx.selection.appHosts, async (host) => [await ctx.ex.capture(host, containers.listImages(ctx.config), { signal: ctx.signal })], { signal: ctx.signal });
  printApp(ctx, out);
}

export async function versions(ctx: Context): Promise<void> {
  await preConnect(ctx);
  const out = await onHosts(ctx.selection.appHosts, async (host) => {
    const role = ctx.selection.rolesOnHost(host)[0];
    return role ? [await ctx.ex.capture(host, query.currentRunningVersion(ctx.config, role), { signal: ctx.signal })] : [];
  }, { signal: ctx.signal });
  printApp(ctx, out);
}

export async function staleContainers(ctx: Context, stopThem: boolean): Promise<void> {
  const work = () => onRoles(ctx, async (host, role) => {
    const [versions, current] = await ctx.ex.script(host, [
      { cmd: query.listVersions(ctx.config, role), ignoreFailure: true },
      { cmd: query.currentRunningVersion(ctx.config, role), ignoreFailure: true },
    ], { signal: ctx.signal });
    const stale = (versions?.stdout ?? "").split("\n").map((v) => v.trim()).filter((v) => v && v !== current?.stdout.trim());
    for (const version of stale) {
      if (stopThem) {
        ctx.report.info(`Stopping stale container for role ${role.name} with version ${version}`, host);
        await ctx.ex.attempt(host, app.stop(ctx.config, role, { version }), { signal: ctx.signal });
      } else {
        ctx.report.info(`Detected stale container for role ${role.name} with version ${version} (use \`sextant app stale_containers --stop\` to stop)`, host);
      }
    }
  });
  await (stopThem ? withLock(ctx, work) : work());
}

export type LogFlags = {
  since?: string; lines?: number; grep?: string; grepOptions?: string; follow?: boolean; skipTimestamps?: boolean; containerId?: string;
  merge?: boolean;
};

/**
 * `app logs`: each (host, role) in a block of its own, as Kamal prints them; with `merge`, every line in one list
 * in time order; with `follow`, the lines of every selected host and role as they come. A container id names one
 * container, so `--container-id` follows the primary host only, as Kamal does.
 */
export async function showLogs(ctx: Context, flags: LogFlags): Promise<void> {
  const unlimited = flags.since !== undefined || flags.grep !== undefined;
  const grep = { grep: flags.grep, grepOptions: flags.grepOptions };
  if (flags.follow) {
    // Kamal follows the last 10 lines, or every line since --since or matching --grep.
    const opts = { containerId: flags.containerId, timestamps: !flags.skipTimestamps, lines: flags.lines ?? (unlimited ? undefined : 10), ...grep };
    const streams = roleStreams(ctx, ctx.selection.appHosts, (role) => logs.followingLogs(ctx.config, role, opts));
    // Kamal's choice for one container: the primary host, its first selected role.
    const primary = streams.find((s) => s.source.host === ctx.selection.primaryHost);
    await followStreams(ctx, flags.containerId === undefined ? streams : primary ? [primary] : []);
    return;
  }
  const opts = { since: flags.since, containerId: flags.containerId, lines: flags.lines ?? (unlimited ? undefined : 100), ...grep };
  if (flags.merge) {
    // Merging orders lines by docker's timestamps, so they are asked for even under -T, and left out when printed.
    await printMerged(ctx, roleStreams(ctx, ctx.selection.appHosts, (role) => logs.logs(ctx.config, role, opts)), { timestamps: !flags.skipTimestamps });
    return;
  }
  const out = await onRoles(ctx, async (host, role) => {
    const result = await ctx.ex.attempt(host, logs.logs(ctx.config, role, { ...opts, timestamps: !flags.skipTimestamps }), { signal: ctx.signal });
    return result.code === 0 ? result.stdout.trimEnd() : "Nothing found";
  });
  printApp(ctx, out);
}

/** A log stream per selected role on each of `hosts`. */
const roleStreams = (ctx: Context, hosts: readonly string[], cmd: (role: Role) => Shell): LogStream[] =>
  hosts.flatMap((host) => ctx.selection.rolesOnHost(host).map((role) => ({ source: { host, name: role.name }, cmd: cmd(role) })));

export type ExecFlags = { interactive?: boolean; reuse?: boolean; env?: Record<string, string>; detach?: boolean; raw?: boolean };

/**
 * Kamal's version for `app exec`: --version; else, reusing, the running container's version or, with none running,
 * the configured version (a running version captured as "" counts as none); else the latest tag.
 */
const execVersion = (ctx: Context, flags: ExecFlags, version: string | undefined, current: string | undefined): string =>
  version ?? (flags.reuse ? current || ctx.config.version : latestTag(ctx.config));

export async function execute(ctx: Context, words: readonly string[], flags: ExecFlags, version: string | undefined): Promise<void> {
  const command = words.map((w) => w.trim()).join(" ");
  const host = ctx.selection.primaryHost;
  const primaryRole = ctx.selection.primaryRole;
  await preConnect(ctx);
  if (flags.interactive && primaryRole) {
    const current = flags.reuse && version === undefined
      ? await ctx.ex.capture(host, query.currentRunningVersion(ctx.config, primaryRole), { signal: ctx.signal }) : undefined;
    const config = withVersion(ctx.config, execVersion(ctx, flags, version, current));
    const tty = process.stdin.isTTY ? "tty" : "pipe";
    if (flags.reuse) {
      ctx.report.info(`Launching interactive command with version ${config.version} via SSH from existing container on ${host}...`);
      await interactive(ctx, host, exec.executeInExistingContainer(config, primaryRole, [command], { env: flags.env, interactive: tty }));
    } else {
      ctx.report.info(`Launching interactive command with version ${config.version} via SSH from new container on ${host}...`);
      await loginOnHost(ctx, host);
      await interactive(ctx, host, exec.executeInNewContainer(config, primaryRole, host, [command],
        { env: flags.env, interactive: tty, suffix: ctx.randomHex(3) }));
    }
    return;
  }
  const out = await onRoles(ctx, async (h, role) => {
    const current = flags.reuse && version === undefined
      ? await ctx.ex.capture(h, query.currentRunningVersion(ctx.config, role), { signal: ctx.signal }) : undefined;
    const config = withVersion(ctx.config, execVersion(ctx, flags, version, current));
    if (!flags.reuse) await loginOnHost(ctx, h);
    const shell = flags.reuse
      ? exec.executeInExistingContainer(config, role, [command], { env: flags.env })
      : exec.executeInNewContainer(config, role, h, [command], { env: flags.env, detach: flags.detach, suffix: ctx.randomHex(3) });
    const [, result] = await ctx.ex.script(h, [
      await auditStep(ctx, `Executed cmd '${command}' on app version ${config.version}`, { role: role.name }),
      { cmd: shell },
    ], { signal: ctx.signal });
    return result?.stdout.trimEnd() ?? "";
  });
  if (flags.raw) ctx.report.result([...out.values()].flat().join("\n"));
  else printApp(ctx, out);
}

export async function live(ctx: Context): Promise<void> {
  await withLock(ctx, () => onRoles(ctx, async (host, role) => {
    if (role.proxy) await ctx.ex.run(host, appProxy.live(role), { signal: ctx.signal });
  }, ctx.selection.proxyHosts.filter((h) => ctx.selection.appHosts.includes(h))));
}

export async function maintenance(ctx: Context, opts: { drainTimeout?: number; message?: string }): Promise<void> {
  const drainTimeout = opts.drainTimeout ?? ctx.config.drainTimeout;
  await withLock(ctx, () => onRoles(ctx, async (host, role) => {
    if (role.proxy) await ctx.ex.run(host, appProxy.maintenance(role, { drainTimeout, message: opts.message }), { signal: ctx.signal });
  }, ctx.selection.proxyHosts.filter((h) => ctx.selection.appHosts.includes(h))));
}
