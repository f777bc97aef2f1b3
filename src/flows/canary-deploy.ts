// `deploy --canary PERCENT` (docs/canary.md): build and pull as a deploy does, then under the lock boot the new
// version's container next to the running one on every host of a proxied role, make it kamal-proxy's rollout
// target, and only once every host has one, set the split. The running version keeps the main target throughout:
// no `kamal-proxy deploy`, no latest tag, no stale-container stop, no prune.
import * as containers from "../commands/app-containers.ts";
import * as query from "../commands/app-query.ts";
import * as app from "../commands/app.ts";
import * as canary from "../commands/canary.ts";
import { containerName } from "../commands/names.ts";
import * as rollout from "../commands/rollout.ts";
import type { Role } from "../config/model.ts";
import { envFor, resolveEnv } from "../config/env.ts";
import { SextantError } from "../errors.ts";
import type { ScriptStep } from "../exec/executor.ts";
import { onHosts } from "../exec/parallel.ts";
import { auditStep } from "./audit.ts";
import { parseCanaries, proxiedHosts, proxiedRoles } from "./canary-state.ts";
import type { Context } from "./context.ts";
import { deliver, deploySecrets, finished, type DeployOptions } from "./deploy.ts";
import { diagnoseBoot, explained, isUnhealthy } from "./diagnose-boot.ts";
import { runHook } from "./hooks.ts";
import { withLock } from "./lock.ts";
import { requireSecrets } from "./require-secrets.ts";

export class CanaryError extends SextantError {}

/** Starts a canary of `ctx.config.version` taking `percent`% of the requests that carry a kamal-rollout cookie. */
export async function deployCanary(ctx: Context, percent: number, opts: DeployOptions = {}): Promise<void> {
  const hosts = proxiedHosts(ctx);
  if (hosts.length === 0)
    throw new CanaryError("none of the selected roles runs behind kamal-proxy, so there is no traffic to split", {
      hint: "select a role with a proxy (for example -r web), or deploy without --canary",
    });
  await requireSecrets(ctx, deploySecrets(ctx, opts));
  const version = ctx.config.version;
  const started = ctx.now().getTime();
  try {
    await deliver(ctx, opts);
    await withLock(ctx, async () => {
      await runHook(ctx, "pre-deploy");
      ctx.report.step(`Start canary containers with version ${version} next to the running ones...`);
      const booted = new Map<string, { role: Role; name: string }[]>();
      try {
        await onHosts(hosts, (host) => bootCanaries(ctx, host, booted), { signal: ctx.signal });
      } catch (err) {
        // No split is set anywhere yet, so the canaries that did boot receive nothing and can go at once.
        await onHosts([...booted.keys()], (host) => removeCanaries(ctx, host, booted.get(host) ?? []), { signal: ctx.signal })
          .catch(() => ctx.report.warn(`could not remove every canary container of ${version}; run \`sextant canary abort\``));
        throw err;
      }
      ctx.report.step(`Send ${percent}% of requests with a kamal-rollout cookie to ${version}...`);
      await onHosts(hosts, (host) => ctx.ex.script(host,
        proxiedRoles(ctx, host).map((role) => ({ cmd: rollout.setPercent(role, percent) })), { signal: ctx.signal }), { signal: ctx.signal })
        .catch((err: unknown) => {
          ctx.report.warn("the split is set on some hosts only; run `sextant canary abort` to send all traffic back");
          throw err;
        });
    });
  } finally {
    finished(ctx, started);
  }
  ctx.report.info(`Canary ${version} is live on ${hosts.length} ${hosts.length === 1 ? "host" : "hosts"}; ` +
    "follow it with `sextant canary status`, then `sextant canary promote` or `sextant canary abort`");
}

/** Each proxied role of the host: check what runs, then boot the canary container and make it the rollout target. */
async function bootCanaries(ctx: Context, host: string, booted: Map<string, { role: Role; name: string }[]>): Promise<void> {
  const { config } = ctx;
  for (const role of proxiedRoles(ctx, host)) {
    const [clash, current, existing] = await ctx.ex.script(host, [
      { cmd: query.containerIdForVersion(config, role, config.version), ignoreFailure: true },
      { cmd: query.currentRunningVersion(config, role), ignoreFailure: true },
      { cmd: canary.list(config, role) },
      { cmd: app.ensureEnvDirectory(config) },
    ], { signal: ctx.signal });
    if (!ctx.options.dryRun) checkCanBoot(host, role, config.version, current?.stdout.trim() ?? "", existing?.stdout ?? "");

    const renamed = app.replacedVersion(config.version, ctx.randomHex(8));
    const rename: ScriptStep[] = clash?.stdout.trim() ? [
      await auditStep(ctx, `Renaming container ${config.version} to ${renamed}`, { role: role.name }),
      { cmd: containers.renameContainer(config, role, config.version, renamed) },
    ] : [];
    const env = resolveEnv(envFor(config, role, host), config.secrets);
    const name = containerName(config, role);
    booted.set(host, [...(booted.get(host) ?? []), { role, name }]);
    try {
      const results = await ctx.ex.script(host, [
        { upload: { path: app.envFilePath(config, role), body: app.envFileContents(env), mode: 0o600 } },
        ...rename,
        await auditStep(ctx, `Booted canary version ${config.version}`, { role: role.name }),
        { cmd: canary.run(config, role, host, app.containerHostname(host, ctx.randomHex(6))) },
        { cmd: query.containerIdForVersion(config, role, config.version) },
      ], { signal: ctx.signal });
      const id = results.at(-1)?.stdout.trim() || (ctx.options.dryRun ? "CONTAINER_ID" : "");
      if (!id) throw new CanaryError(`the canary container ${name} did not start on ${host}`);
      // kamal-proxy health-checks the canary before taking it as the rollout target; the main target is untouched.
      await ctx.ex.run(host, rollout.deploy(config, role, id), { signal: ctx.signal });
    } catch (err) {
      // Read why before the caller removes the container, as a failed deploy does.
      throw explained(err, await diagnoseBoot(ctx, config, host, role, isUnhealthy(err)));
    }
  }
}

function checkCanBoot(host: string, role: Role, version: string, current: string, existing: string): void {
  if (!current)
    throw new CanaryError(`${role.name} on ${host} runs no version yet, so there is nothing to split traffic with`, {
      hint: "deploy a first version with `sextant deploy`",
    });
  if (current === version)
    throw new CanaryError(`${role.name} on ${host} already runs ${version}`, {
      hint: "a canary needs another version than the running one: commit a change, or pass --version",
    });
  const running = parseCanaries(existing)[0];
  if (running !== undefined)
    throw new CanaryError(`${role.name} on ${host} already has a canary of ${running.version} (${running.name})`, {
      hint: "finish it first with `sextant canary promote` or `sextant canary abort`",
    });
}

async function removeCanaries(ctx: Context, host: string, booted: readonly { role: Role; name: string }[]): Promise<void> {
  for (const { role, name } of booted) {
    await ctx.ex.attempt(host, canary.stop(ctx.config, role, [name]), { signal: ctx.signal });
    await ctx.ex.attempt(host, canary.remove([name]), { signal: ctx.signal });
  }
}
