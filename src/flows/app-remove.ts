// `app remove` and the hidden steps it is made of (kamal lib/kamal/cli/app.rb: `remove_container`,
// `remove_containers`, `remove_images`, `remove_app_directories`), which users may also run on their own.
import * as containers from "../commands/app-containers.ts";
import * as appProxy from "../commands/app-proxy.ts";
import * as server from "../commands/server.ts";
import type { ScriptStep } from "../exec/executor.ts";
import { onHosts } from "../exec/parallel.ts";
import { onRoles, stop } from "./app.ts";
import { auditStep } from "./audit.ts";
import type { Context } from "./context.ts";
import { preConnect } from "./hooks.ts";
import { withLock } from "./lock.ts";

/** Kamal's `hosts_removing_all_roles`: selected hosts where every role the host runs is selected. */
const hostsRemovingAllRoles = (ctx: Context): string[] => ctx.selection.appHosts.filter((host) =>
  ctx.config.roles.filter((r) => r.hosts.includes(host)).every((r) => ctx.selection.roles.includes(r)));

const removeImagesSteps = async (ctx: Context): Promise<ScriptStep[]> =>
  [await auditStep(ctx, "Removed all app images"), { cmd: containers.removeImages(ctx.config) }];

const removeAppDirectoriesSteps = async (ctx: Context): Promise<ScriptStep[]> => [
  { cmd: server.removeAppDirectory(ctx.config), ignoreFailure: true },
  await auditStep(ctx, `Removed .kamal/apps/${ctx.config.serviceWithDestination}`),
  { cmd: appProxy.removeProxyAppDirectory(ctx.config), ignoreFailure: true },
];

/** Runs the steps on each host removing all its roles, in one script per host. */
async function onWholeHosts(ctx: Context, ...parts: ((ctx: Context) => Promise<ScriptStep[]>)[]): Promise<void> {
  await preConnect(ctx);
  const steps = (await Promise.all(parts.map((part) => part(ctx)))).flat();
  await onHosts(hostsRemovingAllRoles(ctx), (host) => ctx.ex.script(host, steps, { signal: ctx.signal }), { signal: ctx.signal });
}

/** `app remove_container VERSION` (hidden in Kamal): that version's container of each selected role. */
export async function removeContainer(ctx: Context, version: string): Promise<void> {
  await withLock(ctx, () => onRoles(ctx, async (host, role) => ctx.ex.script(host, [
    await auditStep(ctx, `Removed app container with version ${version}`, { role: role.name }),
    { cmd: containers.removeContainer(ctx.config, role, version) },
  ], { signal: ctx.signal })));
}

/** `app remove_containers` (hidden in Kamal): prunes the stopped containers of each selected role. */
export async function removeContainers(ctx: Context): Promise<void> {
  await withLock(ctx, () => onRoles(ctx, async (host, role) => ctx.ex.script(host, [
    await auditStep(ctx, "Removed all app containers", { role: role.name }),
    { cmd: containers.removeContainers(ctx.config, role) },
  ], { signal: ctx.signal })));
}

/** `app remove_images` (hidden in Kamal), only on hosts where every role is selected: images are per service. */
export async function removeImages(ctx: Context): Promise<void> {
  await withLock(ctx, () => onWholeHosts(ctx, removeImagesSteps));
}

/** `app remove_app_directories` (hidden in Kamal): `.kamal/apps/SVC` and the proxy's app config, as remove_images. */
export async function removeAppDirectories(ctx: Context): Promise<void> {
  await withLock(ctx, () => onWholeHosts(ctx, removeAppDirectoriesSteps));
}

/** `app remove`: stop, then containers, images and app directories (the last two only where every role is selected). */
export async function remove(ctx: Context): Promise<void> {
  await withLock(ctx, async () => {
    await stop(ctx);
    await removeContainers(ctx);
    await onWholeHosts(ctx, removeImagesSteps, removeAppDirectoriesSteps);
  });
}
