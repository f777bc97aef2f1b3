// `proxy upgrade` (hidden in Kamal, lib/kamal/cli/proxy.rb): from Kamal 1, replace Traefik with kamal-proxy,
// then boot the proxy, the app and prune, on all selected hosts at once or one host at a time.
import * as proxy from "../commands/proxy.ts";
import { latestTag } from "../commands/names.ts";
import { onHosts } from "../exec/parallel.ts";
import * as app from "./app.ts";
import { auditStep } from "./audit.ts";
import type { Context } from "./context.ts";
import { preConnect, runHook } from "./hooks.ts";
import { withLock } from "./lock.ts";
import { boot as bootProxy } from "./proxy-commands.ts";
import { pruneHosts } from "./prune.ts";
import { loginOnHost } from "./registry.ts";
import { hostGroups, onlyHosts } from "./specific-hosts.ts";

/**
 * Every selected host, not only proxy hosts, loses Traefik and any kamal-proxy container and image; then the
 * group gets `proxy boot`, `app boot` of `version` (default: the latest tag) and `prune all`. Kamal takes the lock
 * for each of those three; sextant holds it for the whole upgrade, so nothing deploys between the steps.
 */
export async function upgrade(ctx: Context, rolling: boolean, version: string | undefined): Promise<void> {
  const bootVersion = version ?? latestTag(ctx.config);
  await withLock(ctx, async () => {
    await preConnect(ctx);
    for (const group of hostGroups(ctx.selection.hosts, rolling)) {
      const list = group.join(",");
      ctx.report.step(`Upgrading proxy on ${list}...`);
      await runHook(ctx, "pre-proxy-reboot", { hosts: group });
      await onHosts(group, async (host) => {
        await loginOnHost(ctx, host);
        await ctx.ex.script(host, [
          await auditStep(ctx, "Rebooted proxy"),
          { cmd: proxy.cleanupTraefik() },
          { cmd: proxy.stop(), ignoreFailure: true },
          { cmd: proxy.removeContainer() },
          { cmd: proxy.removeImage() },
        ], { signal: ctx.signal });
      }, { signal: ctx.signal });
      const only = onlyHosts(ctx, group);
      await bootProxy(only);
      await app.boot(only, bootVersion);
      await pruneHosts(only, "all");
      await runHook(ctx, "post-proxy-reboot", { hosts: group });
      ctx.report.step(`Upgraded proxy on ${list}`);
    }
  });
}
