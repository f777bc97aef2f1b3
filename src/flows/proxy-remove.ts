// `proxy remove` and the hidden steps it is made of (kamal lib/kamal/cli/proxy.rb: `remove_container`,
// `remove_image`, `remove_proxy_directory`), which users may also run on their own, on the selected proxy hosts.
import * as proxy from "../commands/proxy.ts";
import * as server from "../commands/server.ts";
import type { ScriptStep } from "../exec/executor.ts";
import { auditStep } from "./audit.ts";
import type { Context } from "./context.ts";
import { withLock } from "./lock.ts";
import { onProxyHosts } from "./proxy-commands.ts";

type Steps = (ctx: Context) => Promise<ScriptStep[]>;

const stopSteps: Steps = async (ctx) => [await auditStep(ctx, "Stopped proxy"), { cmd: proxy.stop(), ignoreFailure: true }];
const removeContainerSteps: Steps = async (ctx) => [await auditStep(ctx, "Removed proxy container"), { cmd: proxy.removeContainer() }];
const removeImageSteps: Steps = async (ctx) => [await auditStep(ctx, "Removed proxy image"), { cmd: proxy.removeImage() }];
// Kamal ignores a failure here: the directory may not exist.
const removeProxyDirectorySteps: Steps = async () => [{ cmd: proxy.removeProxyDirectory(), ignoreFailure: true }];

/** Runs the steps on each selected proxy host, in one script per host, under the deploy lock. */
async function onProxyHostsLocked(ctx: Context, ...parts: Steps[]): Promise<void> {
  const steps = (await Promise.all(parts.map((part) => part(ctx)))).flat();
  await withLock(ctx, () => onProxyHosts(ctx, (host) => ctx.ex.script(host, steps, { signal: ctx.signal })));
}

/** `proxy remove_container`: prunes the stopped kamal-proxy container (a running one stays). */
export const removeContainer = (ctx: Context): Promise<void> => onProxyHostsLocked(ctx, removeContainerSteps);
/** `proxy remove_image` */
export const removeImage = (ctx: Context): Promise<void> => onProxyHostsLocked(ctx, removeImageSteps);
/** `proxy remove_proxy_directory`: `.kamal/proxy`, with the boot-config files and the apps' proxy config. */
export const removeProxyDirectory = (ctx: Context): Promise<void> => onProxyHostsLocked(ctx, removeProxyDirectorySteps);

/** Removes the proxy, unless other apps are still installed on a proxy host (`--force` overrides). */
export async function remove(ctx: Context, force: boolean): Promise<void> {
  await withLock(ctx, async () => {
    const counts = await onProxyHosts(ctx, async (host) => Number(await ctx.ex.capture(host, server.appDirectoryCount(), { signal: ctx.signal })) || 0);
    if ([...counts.values()].some((n) => n > 0)) {
      if (!force) {
        ctx.report.warn("Not removing the proxy, as other apps are installed, ignore this check with sextant proxy remove --force");
        return;
      }
      ctx.report.warn("Forcing, so removing the proxy, even though other apps are installed");
    }
    await onProxyHostsLocked(ctx, stopSteps, removeContainerSteps, removeImageSteps, removeProxyDirectorySteps);
  });
}
