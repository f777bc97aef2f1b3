// `setup`, `remove`, `upgrade` and `details` (kamal-commands.md §6.1): the top-level flows that combine the others.
import * as accessories from "./accessory.ts";
import * as accessoryMaintenance from "./accessory-maintenance.ts";
import * as app from "./app.ts";
import { remove as removeApp } from "./app-remove.ts";
import type { Context } from "./context.ts";
import { deploySecrets, runDeploy, type DeployOptions } from "./deploy.ts";
import { onHosts } from "../exec/parallel.ts";
import { withLock } from "./lock.ts";
import { bootProxyOn } from "./proxy.ts";
import * as proxy from "./proxy-commands.ts";
import { remove as removeProxy } from "./proxy-remove.ts";
import { upgrade as upgradeProxy } from "./proxy-upgrade.ts";
import { removeRegistry } from "./registry.ts";
import { bootstrap } from "./server.ts";
import { onlyHosts } from "./specific-hosts.ts";
import { requireSecrets } from "./require-secrets.ts";

/** Lock first, install Docker where missing, then deploy with the accessories booted before the app. */
export async function setup(ctx: Context, opts: DeployOptions = {}): Promise<void> {
  await requireSecrets(ctx, { ...deploySecrets(ctx, opts), accessories: ctx.config.accessories });
  await withLock(ctx, async () => {
    ctx.report.step("Ensure Docker is installed...");
    await bootstrap(ctx);
    await runDeploy(ctx, opts, {
      proxy: true,
      prune: true,
      accessories: ctx.config.accessories.length > 0 ? () => bootAccessories(ctx) : undefined,
    });
  });
}

/** Kamal boots accessories after the proxy: one behind kamal-proxy needs it running first. */
async function bootAccessories(ctx: Context): Promise<void> {
  if (ctx.config.accessories.some((a) => a.proxy !== undefined))
    await onHosts(ctx.selection.proxyHosts, (host) => bootProxyOn(ctx, host), { signal: ctx.signal });
  await accessories.boot(ctx, "all");
}

/** Everything sextant put on the hosts: app, proxy, accessories, registry login. */
export async function remove(ctx: Context): Promise<void> {
  await withLock(ctx, async () => {
    await removeApp(ctx);
    await removeProxy(ctx, false);
    if (ctx.config.accessories.length > 0) await accessoryMaintenance.remove(ctx, "all");
    await removeRegistry(ctx, { skipLocal: true });
  });
}

/**
 * `upgrade` from Kamal 1: `proxy upgrade`, then `accessory upgrade all`, on all hosts at once or, `rolling`, host by
 * host (each with the parts it runs: the proxy and app where it is an app host, accessories where it has some).
 */
export async function upgrade(ctx: Context, rolling: boolean, version: string | undefined): Promise<void> {
  await withLock(ctx, async () => {
    if (!rolling) {
      ctx.report.step("Upgrading all hosts...");
      await upgradeProxy(ctx, false, version);
      await accessoryMaintenance.upgrade(ctx, "all", false);
      ctx.report.step("Upgraded all hosts");
      return;
    }
    for (const host of ctx.selection.hosts) {
      const only = onlyHosts(ctx, [host]);
      ctx.report.step(`Upgrading ${host}...`);
      if (only.selection.appHosts.includes(host)) await upgradeProxy(only, false, version);
      if (only.selection.accessoryHosts.includes(host)) await accessoryMaintenance.upgrade(only, "all", false);
      ctx.report.step(`Upgraded ${host}`);
    }
  });
}

export async function details(ctx: Context): Promise<void> {
  await proxy.details(ctx);
  await app.details(ctx);
  if (ctx.config.accessories.length > 0) await accessories.details(ctx, "all");
}
