// `app boot` (kamal-commands.md §6.2, kamal-on-host.md §10): per host and role, rename a clashing container, start
// the new version, switch kamal-proxy to it (or wait for readiness), then stop the old one. The zero-downtime order
// lives in bootRole, top to bottom.
import * as app from "../commands/app.ts";
import * as assets from "../commands/app-assets.ts";
import * as containers from "../commands/app-containers.ts";
import * as appProxy from "../commands/app-proxy.ts";
import * as query from "../commands/app-query.ts";
import type { Config, Role } from "../config/model.ts";
import { envFor, resolveEnv } from "../config/env.ts";
import { SextantError } from "../errors.ts";
import type { ScriptStep } from "../exec/executor.ts";
import type { HostOutcome } from "../output/outcome.ts";
import { auditStep } from "./audit.ts";
import type { Barrier } from "./barrier.ts";
import type { Context } from "./context.ts";
import { diagnoseBoot, explained, isUnhealthy } from "./diagnose-boot.ts";
import { sleep } from "./sleep.ts";

/** What a host knows before booting a role: whether the version's name is taken, and what runs now. */
export type RoleState = { readonly clashingId: string; readonly oldVersion: string | undefined };

/** The script steps that read a role's RoleState; flows put them in a host's first round trip. */
export const roleStateSteps = (config: Config, role: Role): ScriptStep[] => [
  { cmd: query.containerIdForVersion(config, role, config.version), ignoreFailure: true },
  { cmd: query.currentRunningVersion(config, role), ignoreFailure: true },
];
export const roleStateFrom = (clash: string, current: string): RoleState => ({
  clashingId: clash.trim(),
  oldVersion: current.trim() || undefined,
});

export class BootError extends SextantError {}

/** A booted role: its outcome row, and the clean-up (old container stopped…) the caller runs next on that host. */
export type BootedRole = { readonly outcome: HostOutcome; readonly cleanup: ScriptStep[] };

/**
 * Boots one role on one host with `config.version`. Throws when the new container does not become healthy; the old
 * container then keeps serving (kamal-proxy only switches to a healthy target) and the new one is stopped.
 * The returned clean-up stops the old container; the caller runs it right away or in the host's next script.
 */
export async function bootRole(
  ctx: Context, config: Config, host: string, role: Role, state: RoleState, barrier: Barrier | undefined,
): Promise<BootedRole> {
  const started = ctx.now().getTime();
  const outcome = (result: HostOutcome["result"], error?: string): HostOutcome => ({
    host, role: role.name, oldVersion: state.oldVersion, newVersion: config.version, result,
    seconds: (ctx.now().getTime() - started) / 1000, ...(error === undefined ? {} : { error }),
  });
  const isBarrierRole = barrier !== undefined && role === ctx.selection.primaryRole;

  // Kamal reads the running version after the rename (kamal lib/kamal/cli/app/boot.rb), so redeploying the running
  // version stops the renamed container once the new one took over. The rename itself rides in the session that
  // runs the new container.
  const rename = state.clashingId ? await renameClashingContainer(ctx, config, host, role, state.oldVersion) : undefined;
  const oldVersion = rename ? rename.oldVersion : state.oldVersion;

  const primary = ctx.selection.primaryRole?.name ?? "web";
  // A dry run sees no health check: the Recorder's empty success stands in for one, and the narration says so.
  const healthy = ctx.options.dryRun ? "assumed healthy" : "healthy";
  if (barrier !== undefined && !isBarrierRole) {
    ctx.report.info(`Waiting for the first healthy ${primary} container before booting ${role.name} on ${host}...`, host);
    if (!(await barrier.wait())) {
      ctx.report.info(`First ${primary} container is unhealthy, not booting ${role.name} on ${host}`, host);
      throw new BootError(`Halted at barrier: the first ${primary} container did not become healthy, so ${role.name} was not booted on ${host}`);
    }
    ctx.report.info(`First ${primary} container is ${healthy}, booting ${role.name} on ${host}...`, host);
  }

  try {
    ctx.report.phase?.(host, "boot");
    await startNewContainer(ctx, config, host, role, rename?.steps ?? []);
    if (isBarrierRole && barrier.open()) ctx.report.info(`First ${primary} container is ${healthy} on ${host}, booting any other roles`, host);
  } catch (err) {
    ctx.report.warn(`Failed to boot ${role.name} on ${host}`, host);
    if (isBarrierRole && barrier.close()) ctx.report.info(`First ${primary} container is unhealthy on ${host}, not booting any other roles`, host);
    const failure = await diagnoseBoot(ctx, config, host, role, isUnhealthy(err));
    await ctx.ex.attempt(host, app.stop(config, role, { version: config.version }), { signal: ctx.signal });
    throw explained(withLogs(err, failure.logTail), failure);
  }

  // The old container is only stopped once traffic moved; prune removes stopped containers later.
  const cleanup: ScriptStep[] = [];
  if (oldVersion && oldVersion !== config.version)
    cleanup.push({ cmd: app.stop(config, role, { version: oldVersion }), ignoreFailure: true });
  if (app.hasAssets(role)) cleanup.push({ cmd: assets.cleanUpAssets(config, role), ignoreFailure: true });
  if (config.errorPagesPath) cleanup.push({ cmd: appProxy.cleanUpErrorPages(config), ignoreFailure: true });
  return { outcome: outcome("ok"), cleanup };
}

/** The steps renaming the container that has the version's name, and the running version once they ran. */
async function renameClashingContainer(
  ctx: Context, config: Config, host: string, role: Role, running: string | undefined,
): Promise<{ steps: ScriptStep[]; oldVersion: string | undefined }> {
  const renamed = app.replacedVersion(config.version, ctx.randomHex(8));
  ctx.report.info(`Renaming container ${config.version} to ${renamed} as already deployed on ${host}`, host);
  const steps = [
    await auditStep(ctx, `Renaming container ${config.version} to ${renamed}`, { role: role.name }),
    { cmd: containers.renameContainer(config, role, config.version, renamed) },
  ];
  return { steps, oldVersion: running === config.version ? renamed : running };
}

/**
 * Env file, `docker run` (after `before`: the clashing container's rename), then kamal-proxy's switch (proxied
 * roles) or the readiness wait (other roles). The env directory was made in the host's first round trip
 * (app-boot.ts), so the env file and the audit line ride with `docker run`.
 */
async function startNewContainer(ctx: Context, config: Config, host: string, role: Role, before: readonly ScriptStep[]): Promise<void> {
  const env = resolveEnv(envFor(config, role, host), config.secrets);
  const hostname = app.containerHostname(host, ctx.randomHex(6));
  const results = await ctx.ex.script(host, [
    { upload: { path: app.envFilePath(config, role), body: app.envFileContents(env), mode: 0o600 } },
    ...before,
    await auditStep(ctx, `Booted app version ${config.version}`, { role: role.name }),
    { cmd: app.run(config, role, host, { hostname }) },
    { cmd: query.containerIdForVersion(config, role, config.version) },
  ], { signal: ctx.signal });

  ctx.report.phase?.(host, "health");
  if (role.proxy !== undefined) {
    const id = results.at(-1)?.stdout.trim() || (ctx.options.dryRun ? "CONTAINER_ID" : "");
    if (!id) throw new BootError(`Failed to get endpoint for ${role.name} on ${host}, did the container boot?`);
    // kamal-proxy health-checks the target and returns only once traffic moved, or fails after deploy_timeout.
    await ctx.ex.run(host, appProxy.deploy(config, role, id), { signal: ctx.signal });
  } else {
    await waitUntilReady(ctx, config, host, role);
  }
}

/** Roles without the proxy: poll the container state until running/healthy, within deploy_timeout (§10.1). */
async function waitUntilReady(ctx: Context, config: Config, host: string, role: Role): Promise<void> {
  const deadline = ctx.now().getTime() + config.deployTimeout * 1000;
  let state = "";
  for (let attempt = 1; ; attempt++) {
    state = await ctx.ex.capture(host, app.status(config, role, config.version), { signal: ctx.signal });
    if (ctx.options.dryRun) return;
    if (state === "running" && config.readinessDelay > 0) {
      ctx.report.info(`Container is running, waiting for readiness delay of ${config.readinessDelay} seconds`, host);
      await sleep(config.readinessDelay * 1000, ctx.signal);
      state = await ctx.ex.capture(host, app.status(config, role, config.version), { signal: ctx.signal });
    }
    if (state === "running" || state === "healthy") {
      ctx.report.info("Container is healthy!", host);
      return;
    }
    const left = deadline - ctx.now().getTime();
    if (left <= 0) throw new BootError(`container not ready after ${config.deployTimeout} seconds (${state || "missing"})`);
    await sleep(Math.min(attempt * 1000, left), ctx.signal);
  }
}

function withLogs(err: unknown, logLines: string): unknown {
  if (!logLines || !(err instanceof SextantError)) return err;
  const message = `${err.message}\n  last log lines of the new container:\n${logLines.split("\n").map((l) => `    ${l}`).join("\n")}`;
  return new BootError(message, { hint: err.hint, cause: err });
}

