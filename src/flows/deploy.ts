// `deploy`, `redeploy` and `setup` (kamal-commands.md §6.1, kamal-on-host.md §11). Same order of effects as Kamal:
// build and pull outside the lock, then lock → pre-deploy → proxy boot → stale containers → app boot → prune →
// unlock → post-deploy. Unlike Kamal, each host runs its own steps back to back (batched in few SSH sessions)
// instead of waiting for the slowest host at every phase; the lock, the boot groups and the primary-role barrier
// are still the only points where hosts wait for each other.
import type { SecretUse } from "../config/secrets-preflight.ts";
import type { HostOutcome } from "../output/outcome.ts";
import { HostsFailedError } from "../errors.ts";
import { bootApp } from "./app-boot.ts";
import { buildPull, buildPush, connectAhead } from "./build.ts";
import type { OpenBuilderHost } from "./remote-builder.ts";
import type { Context } from "./context.ts";
import { runHook } from "./hooks.ts";
import { withLock } from "./lock.ts";
import { requireSecrets, selectedRoles } from "./require-secrets.ts";

export type DeployOptions = {
  readonly skipPush?: boolean;
  readonly noCache?: boolean;
  /** reaches an ssh:// remote builder's host before a missing builder is created (see remote-builder.ts) */
  readonly openBuilderHost?: OpenBuilderHost;
};

/** Build (or only pull), then boot under the lock. */
export async function deploy(ctx: Context, opts: DeployOptions = {}): Promise<void> {
  await runDeploy(ctx, opts, { proxy: true, prune: true });
}

/** deploy without proxy boot and prune. */
export async function redeploy(ctx: Context, opts: DeployOptions = {}): Promise<void> {
  await runDeploy(ctx, opts, { proxy: false, prune: false });
}

type Phases = {
  readonly proxy: boolean;
  readonly prune: boolean;
  readonly accessories?: () => Promise<void>;
  /** still under the lock, once every host booted (a canary promotion ends kamal-proxy's rollout here) */
  readonly afterBoot?: () => Promise<void>;
};

/** Shared by deploy, redeploy and setup (which already holds the lock and boots accessories). */
export async function runDeploy(ctx: Context, opts: DeployOptions, phases: Phases): Promise<void> {
  await requireSecrets(ctx, deploySecrets(ctx, opts));
  const started = ctx.now().getTime();
  try {
    await deliver(ctx, opts);
    await withLock(ctx, async () => {
      await runHook(ctx, "pre-deploy");
      await phases.accessories?.();
      await bootAndReport(ctx, { version: ctx.config.version, proxy: phases.proxy, stale: true, prune: phases.prune });
      await phases.afterBoot?.();
    });
  } finally {
    finished(ctx, started);
  }
  // post-deploy runs after the lock was released, except under setup, which holds it throughout.
  await runHook(ctx, "post-deploy", { runtime: (ctx.now().getTime() - started) / 1000 });
}

/** A deploy logs in to the registry (hosts pull even with --skip-push), builds unless told not to, and boots the app. */
export const deploySecrets = (ctx: Context, opts: DeployOptions): SecretUse =>
  ({ registry: true, builder: !opts.skipPush, roles: selectedRoles(ctx) });

/**
 * Builds and pushes (unless --skip-push), then pulls on the app hosts; outside the lock, as in Kamal. The hosts'
 * connections open while the image builds.
 */
export async function deliver(ctx: Context, opts: DeployOptions): Promise<void> {
  if (opts.skipPush) {
    ctx.report.step("Pull app image...");
  } else {
    ctx.report.step("Build and push app image...");
    await connectAhead(ctx, ctx.selection.hosts);
    await buildPush(ctx, { noCache: opts.noCache, openBuilderHost: opts.openBuilderHost });
  }
  await buildPull(ctx);
}

/** Boots everywhere, prints the per-host outcome table, and on failure says how to get back to one version. */
export async function bootAndReport(ctx: Context, opts: Parameters<typeof bootApp>[1]): Promise<HostOutcome[]> {
  const outcomes: HostOutcome[] = [];
  // A dry run observed no result, so it has no outcome to show (the Recorder said what it assumed instead).
  const report = (rows: readonly HostOutcome[]) => {
    if (!ctx.options.dryRun) ctx.report.outcomes?.(rows);
  };
  try {
    await bootApp(ctx, opts, outcomes);
  } catch (err) {
    report(outcomes);
    const switched = outcomes.filter((o) => o.result === "ok");
    const back = outcomes.find((o) => o.oldVersion !== undefined)?.oldVersion;
    if (switched.length > 0 && back !== undefined && err instanceof HostsFailedError)
      ctx.report.warn(`${switched.length} of ${outcomes.length} containers now run ${opts.version}; to bring every host back to one version run: sextant rollback ${back}`);
    throw err;
  }
  report(outcomes);
  return outcomes;
}

/** Kamal's closing line; a dry run took no time worth reporting (the Recorder sums up what it planned). */
export function finished(ctx: Context, started: number): void {
  if (ctx.options.dryRun) return;
  ctx.report.info(`  Finished all in ${((ctx.now().getTime() - started) / 1000).toFixed(1)} seconds`);
}
