// `canary status|promote|abort` (docs/canary.md): each reads the canary afresh from the hosts (canary-state.ts), so
// any run on any machine can finish what `deploy --canary` started.
import * as canary from "../commands/canary.ts";
import * as rollout from "../commands/rollout.ts";
import type { ScriptStep } from "../exec/executor.ts";
import { onHosts } from "../exec/parallel.ts";
import { withVersion } from "./app-boot.ts";
import { auditStep } from "./audit.ts";
import { CanaryError } from "./canary-deploy.ts";
import { proxiedHosts, readCanaries, readCanaryContainers, type RoleCanary } from "./canary-state.ts";
import type { Context } from "./context.ts";
import { runDeploy } from "./deploy.ts";
import { withLock } from "./lock.ts";

/** Every proxied role on every selected host: its running version, its canary and kamal-proxy's split. */
export async function canaryStatus(ctx: Context): Promise<RoleCanary[]> {
  const found = await onHosts(proxiedHosts(ctx), (host) => readCanaries(ctx, host), { signal: ctx.signal });
  return [...found.values()].flat();
}

/**
 * A full zero-downtime deploy of the canary's version (proxy switch, old containers stopped, latest tag, prune),
 * then, still under the lock, kamal-proxy's rollout stopped and the canary containers removed. Until the rollout
 * stops, the canary keeps its share: both targets run the same version by then.
 */
export async function promoteCanary(ctx: Context): Promise<void> {
  const version = await canaryVersion(ctx);
  const promoted: Context = { ...ctx, config: withVersion(ctx.config, version) };
  ctx.report.info(`Promoting canary ${version}: deploying it everywhere, then ending kamal-proxy's rollout`);
  await runDeploy(promoted, { skipPush: true }, { proxy: true, prune: true, afterBoot: () => endCanaries(promoted) });
}

/** kamal-proxy's rollout stopped (every request back on the running version), then the canary containers removed. */
export async function abortCanary(ctx: Context): Promise<void> {
  await withLock(ctx, () => endCanaries(ctx));
}

/** The one version of the running canary containers; a dry run plans with the version it was given. */
async function canaryVersion(ctx: Context): Promise<string> {
  if (ctx.options.dryRun) {
    ctx.report.info(`assumed: the canary runs version ${ctx.config.version}`);
    return ctx.config.version;
  }
  const roles = await canaryStatus(ctx);
  const versions = [...new Set(roles.flatMap((r) => r.canaries.filter((c) => c.state === "running").map((c) => c.version)))];
  if (versions.length === 0)
    throw new CanaryError("no canary is running on the selected hosts", { hint: "start one with `sextant deploy --canary PERCENT`" });
  if (versions.length > 1)
    throw new CanaryError(`canaries of several versions are running (${versions.join(", ")})`, {
      hint: "run `sextant canary status`, then `sextant canary abort` and start one canary again",
    });
  return versions[0] ?? "";
}

async function endCanaries(ctx: Context): Promise<void> {
  ctx.report.step("Stop kamal-proxy's rollout and remove the canary containers...");
  await onHosts(proxiedHosts(ctx), async (host) => {
    const roles = await readCanaryContainers(ctx, host);
    const steps: ScriptStep[] = [];
    for (const { role, canaries } of roles) {
      const names = canaries.map((c) => c.name);
      // The rollout stops first: a canary container must not be stopped while it may still be picked. Without a
      // canary there, a split left behind is stopped all the same, and a host where the service was never deployed
      // (kamal-proxy: "service not found") has nothing to stop.
      steps.push({ cmd: rollout.stop(role), ignoreFailure: names.length === 0 });
      if (names.length === 0) continue;
      ctx.report.info(`Removing canary ${names.length === 1 ? "container" : "containers"} ${names.join(", ")}`, host);
      steps.push(await auditStep(ctx, `Removed canary ${names.join(", ")}`, { role: role.name }),
        { cmd: canary.stop(ctx.config, role, names) }, { cmd: canary.remove(names) });
    }
    await ctx.ex.script(host, steps, { signal: ctx.signal });
  }, { signal: ctx.signal });
}
