// `rollback VERSION` (kamal-commands.md §6.1): under the lock, check every selected host and role still has a
// container of VERSION, then boot it as a deploy would (new container from REPO:VERSION, proxy switch, old stopped).
import * as query from "../commands/app-query.ts";
import { onHosts } from "../exec/parallel.ts";
import { withVersion } from "./app-boot.ts";
import type { Context } from "./context.ts";
import { bootAndReport, finished } from "./deploy.ts";
import { preConnect, runHook } from "./hooks.ts";
import { withLock } from "./lock.ts";
import { requireSecrets, selectedRoles } from "./require-secrets.ts";

/** Returns false (and says why) when VERSION is not available as a container; Kamal then exits 0. */
export async function rollback(ctx: Context, version: string): Promise<boolean> {
  await requireSecrets(ctx, { roles: selectedRoles(ctx) });
  const started = ctx.now().getTime();
  const rolledBack = await withLock(ctx, async () => {
    await preConnect(ctx);
    const config = withVersion(ctx.config, version);
    const missing: string[] = [];
    await onHosts(ctx.selection.appHosts, async (host) => {
      for (const role of ctx.selection.rolesOnHost(host)) {
        const id = await ctx.ex.capture(host, query.containerIdForVersion(config, role, version), { signal: ctx.signal });
        if (!id && !ctx.options.dryRun) missing.push(`${role.name} on ${host}`);
      }
    }, { signal: ctx.signal });
    // The Recorder's empty answers would say no host has VERSION; a dry run plans the rollback as if every one had.
    if (ctx.options.dryRun) ctx.report.info(`assumed: every host has a container of version ${version}`);
    if (missing.length > 0) {
      ctx.report.warn(`The app version '${version}' is not available as a container on ${missing.join(", ")} ` +
        "(use `sextant app containers` for available versions)");
      return false;
    }
    await runHook(ctx, "pre-deploy");
    await bootAndReport(ctx, { version, proxy: false, stale: false, prune: false });
    return true;
  });
  finished(ctx, started);
  if (rolledBack) await runHook(ctx, "post-deploy", { runtime: (ctx.now().getTime() - started) / 1000 });
  return rolledBack;
}
