// Replacing and removing accessories (kamal lib/kamal/cli/accessory.rb): `reboot`, `remove`, `upgrade`, and the
// hidden steps they are made of (`pull_image`, `remove_container`, `remove_image`, `remove_service_directory`),
// which users may also run on their own. Each step is a list of script steps, so a flow that chains several sends
// them to a host in one round trip.
import * as accessory from "../commands/accessory.ts";
import type { Accessory } from "../config/model.ts";
import type { ScriptStep } from "../exec/executor.ts";
import { onHosts } from "../exec/parallel.ts";
import { bootOne, hostsOf, pick, prepareHost, stop } from "./accessory.ts";
import { auditStep } from "./audit.ts";
import type { Context } from "./context.ts";
import { preConnect } from "./hooks.ts";
import { withLock } from "./lock.ts";
import { requireSecrets } from "./require-secrets.ts";
import { hostGroups, onlyHosts } from "./specific-hosts.ts";

type Steps = (ctx: Context, a: Accessory) => Promise<ScriptStep[]>;

const pullImageSteps: Steps = async (ctx, a) => [await auditStep(ctx, `Pull ${a.name} accessory image`), { cmd: accessory.pullImage(a) }];
const removeContainerSteps: Steps = async (ctx, a) =>
  [await auditStep(ctx, `Remove ${a.name} accessory container`), { cmd: accessory.removeContainer(a) }];
const removeImageSteps: Steps = async (ctx, a) => [await auditStep(ctx, `Removed ${a.name} accessory image`), { cmd: accessory.removeImage(a) }];
const removeServiceDirectorySteps: Steps = async (_ctx, a) => [{ cmd: accessory.removeServiceDirectory(a) }];

/** Runs the steps of one accessory on each of its selected hosts, in one script per host. */
async function onAccessoryHosts(ctx: Context, a: Accessory, ...parts: Steps[]): Promise<void> {
  const steps = (await Promise.all(parts.map((part) => part(ctx, a)))).flat();
  await onHosts(hostsOf(ctx, a), (host) => ctx.ex.script(host, steps, { signal: ctx.signal }), { signal: ctx.signal });
}

/** A hidden step as a command of its own: NAME (or `all`), under the deploy lock as Kamal runs it. */
const step = (part: Steps) => async (ctx: Context, name: string): Promise<void> => {
  const accessories = pick(ctx, name);
  await withLock(ctx, async () => {
    await preConnect(ctx);
    for (const a of accessories) await onAccessoryHosts(ctx, a, part);
  });
};

/** `accessory pull_image NAME` */
export const pullImage = step(pullImageSteps);
/** `accessory remove_container NAME`: prunes the stopped container (a running one stays). */
export const removeContainer = step(removeContainerSteps);
/** `accessory remove_image NAME` */
export const removeImage = step(removeImageSteps);
/** `accessory remove_service_directory NAME`: the uploaded files and relative data directories. */
export const removeServiceDirectory = step(removeServiceDirectorySteps);

/** `accessory reboot`: pull, stop, remove the container, boot again (data in directories survives). */
export async function reboot(ctx: Context, name: string): Promise<void> {
  const accessories = pick(ctx, name);
  await requireSecrets(ctx, { accessories });
  await withLock(ctx, async () => {
    await preConnect(ctx);
    for (const a of accessories) {
      const pull = await pullImageSteps(ctx, a);
      await onHosts(hostsOf(ctx, a), async (host) => {
        await prepareHost(ctx, a, host);
        await ctx.ex.script(host, pull, { signal: ctx.signal });
      }, { signal: ctx.signal });
      await stop(ctx, a.name);
      await onAccessoryHosts(ctx, a, removeContainerSteps);
      await bootOne(ctx, a, false);
    }
  });
}

/** `accessory remove`: stop, then the container, the image and the service directory, one accessory at a time. */
export async function remove(ctx: Context, name: string): Promise<void> {
  const accessories = pick(ctx, name);
  await withLock(ctx, async () => {
    await preConnect(ctx);
    for (const a of accessories) {
      await stop(ctx, a.name);
      await onAccessoryHosts(ctx, a, removeContainerSteps, removeImageSteps, removeServiceDirectorySteps);
    }
  });
}

/**
 * `accessory upgrade NAME|all` (from Kamal 1): reboot the accessories so they run in the kamal network, on all
 * accessory hosts at once or, `rolling`, one host at a time. The lock is taken once for all groups.
 */
export async function upgrade(ctx: Context, name: string, rolling: boolean): Promise<void> {
  pick(ctx, name);
  await withLock(ctx, async () => {
    for (const group of hostGroups(ctx.selection.accessoryHosts, rolling)) {
      const list = group.join(",");
      ctx.report.step(`Upgrading ${name} accessories on ${list}...`);
      await reboot(onlyHosts(ctx, group), name);
      ctx.report.step(`Upgraded ${name} accessories on ${list}...`);
    }
  });
}
