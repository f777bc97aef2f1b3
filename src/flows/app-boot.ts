// Booting the app on every selected host (kamal-commands.md §6.2 `app boot`, kamal-on-host.md §10). Hosts run in
// boot groups (boot.limit); inside a group each host goes through its whole pipeline on its own:
// one round trip to learn its state (and boot the proxy), stale containers, each role's boot, then tag and prune.
import * as app from "../commands/app.ts";
import * as containers from "../commands/app-containers.ts";
import * as query from "../commands/app-query.ts";
import { absoluteImage } from "../commands/names.ts";
import type { Config, Role } from "../config/model.ts";
import { HostsFailedError } from "../errors.ts";
import type { ScriptStep } from "../exec/executor.ts";
import { onHosts } from "../exec/parallel.ts";
import type { HostOutcome } from "../output/outcome.ts";
import { auditStep } from "./audit.ts";
import { Barrier } from "./barrier.ts";
import { bootRole, roleStateFrom, roleStateSteps, type RoleState } from "./boot.ts";
import type { Context } from "./context.ts";
import { failedOn } from "./host-failed.ts";
import { runHook } from "./hooks.ts";
import { pruneAllSteps } from "./prune.ts";
import { bootProxyOn, checkProxyVersion, proxyBootSteps } from "./proxy.ts";
import { sleep } from "./sleep.ts";
import { uploadAppFiles } from "./app-files.ts";

export type BootOptions = {
  readonly version: string;
  /** boot kamal-proxy first (deploy, setup) */
  readonly proxy: boolean;
  /** stop containers of other versions still running (deploy, redeploy) */
  readonly stale: boolean;
  /** prune old containers and images afterwards (deploy, setup) */
  readonly prune: boolean;
};

export const withVersion = (config: Config, version: string): Config => ({ ...config, version });

/** Boots `opts.version` on every selected app host; `outcomes` receives a row per host and role as they finish. */
export async function bootApp(ctx: Context, opts: BootOptions, outcomes: HostOutcome[]): Promise<void> {
  const config = withVersion(ctx.config, opts.version);
  const bootCtx: Context = { ...ctx, config };
  const hosts = ctx.selection.appHosts;
  // As in Kamal, also with no other role waiting: the first healthy primary-role container opens it and says so.
  const barrier = ctx.selection.primaryRole ? new Barrier() : undefined;
  if (opts.proxy) ctx.report.step("Ensure kamal-proxy is running...");
  if (opts.stale) ctx.report.step("Detect stale containers...");
  ctx.report.step(`Start container with version ${opts.version} (or reboot if already running)...`);
  // Hosts prune as soon as they are done, so the phase starts when the first one gets there.
  let pruneAnnounced = !opts.prune;
  const announcePrune = () => {
    if (!pruneAnnounced) ctx.report.step("Prune old containers and images...");
    pruneAnnounced = true;
  };

  // Hosts that run the proxy only for accessories still get it, alongside the app hosts.
  const proxyOnly = opts.proxy ? ctx.selection.hosts.filter((h) => !hosts.includes(h)) : [];
  const extra = onHosts(proxyOnly, (host) => bootProxyOn(bootCtx, host), { signal: ctx.signal });

  const failures = new Map<string, Error>();
  for (const group of bootGroups(hosts, ctx.config.boot.limit)) {
    await runHook(bootCtx, "pre-app-boot", { hosts: group });
    const boot = async (host: string) => {
      await bootHost(bootCtx, host, opts, { barrier, outcomes, announcePrune }).catch((err: unknown) => failedOn(ctx, host, err));
      ctx.report.phase?.(host, "done");
    };
    await onHosts(group, boot, { signal: ctx.signal })
      .catch((err: unknown) => {
        if (!(err instanceof HostsFailedError)) throw err;
        for (const [host, e] of err.failures) failures.set(host, e);
      });
    if (failures.size > 0) break;
    await runHook(bootCtx, "post-app-boot", { hosts: group });
    if (ctx.config.boot.wait) await sleep(ctx.config.boot.wait * 1000, ctx.signal);
  }
  // Hosts of the boot groups after a failure never started: their rows say so, so every count covers what was targeted.
  const reached = new Set(outcomes.map((o) => o.host));
  for (const host of hosts.filter((h) => !reached.has(h)))
    outcomes.push(...rowsFor(ctx, host, { version: opts.version, result: "skipped", error: "not booted: an earlier boot group failed" }));
  await extra;
  if (failures.size > 0) throw new HostsFailedError(failures);
}

/** Slices of `boot.limit` hosts (primary-role hosts first, as selected); one slice without a limit. */
export function bootGroups(hosts: readonly string[], limit: number | undefined): string[][] {
  if (limit === undefined || limit <= 0) return [[...hosts]];
  const groups: string[][] = [];
  for (let i = 0; i < hosts.length; i += limit) groups.push(hosts.slice(i, i + limit));
  return groups;
}

type HostRun = {
  readonly barrier: Barrier | undefined;
  /** receives a row per role as it finishes */
  readonly outcomes: HostOutcome[];
  /** says "Prune old containers and images..." the first time a host gets there */
  readonly announcePrune: () => void;
};

async function bootHost(ctx: Context, host: string, opts: BootOptions, { barrier, outcomes, announcePrune }: HostRun): Promise<void> {
  const { config } = ctx;
  const roles = ctx.selection.rolesOnHost(host);
  ctx.report.phase?.(host, "boot");
  let states: Map<Role, RoleState>;
  try {
    states = await readHostState(ctx, host, roles, opts);
    await uploadAppFiles(ctx, host, roles, states);
  } catch (err) {
    // A primary-role host that fails before booting decides the barrier too, or other roles would wait forever.
    if (ctx.selection.primaryRole && roles.includes(ctx.selection.primaryRole)) barrier?.close();
    outcomes.push(...rowsFor(ctx, host, { version: opts.version, result: "failed", error: firstLine(err) }));
    throw err;
  }

  // The last role's clean-up (stop the old container) rides in the host's final script: one SSH session fewer.
  let lastCleanup: ScriptStep[] = [];
  const boot = async (role: Role, last: boolean) => {
    const started = ctx.now().getTime();
    try {
      const booted = await bootRole(ctx, config, host, role, states.get(role) ?? { clashingId: "", oldVersion: undefined }, barrier);
      outcomes.push(booted.outcome);
      if (last) lastCleanup = booted.cleanup;
      else if (booted.cleanup.length > 0) await ctx.ex.script(host, booted.cleanup, { signal: ctx.signal });
    } catch (err) {
      outcomes.push({ host, role: role.name, oldVersion: states.get(role)?.oldVersion, newVersion: config.version,
        result: "failed", seconds: (ctx.now().getTime() - started) / 1000, error: firstLine(err) });
      throw err;
    }
  };
  if (ctx.config.boot.parallelRoles) await Promise.all(roles.map((role) => boot(role, false)));
  else for (const [i, role] of roles.entries()) await boot(role, i === roles.length - 1);

  const after: ScriptStep[] = [
    ...lastCleanup,
    await auditStep(ctx, `Tagging ${absoluteImage(config)} as the latest image`),
    { cmd: containers.tagLatestImage(config) },
    ...(opts.prune ? await pruneAllSteps(ctx) : []),
  ];
  announcePrune();
  ctx.report.phase?.(host, "stop");
  await ctx.ex.script(host, after, { signal: ctx.signal });
}

/**
 * One row per role on a host that never booted (it failed before its first role, or was never reached): what ran
 * there before is unknown, since the host's state was never read.
 */
function rowsFor(ctx: Context, host: string, row: { version: string; result: "failed" | "skipped"; error: string }): HostOutcome[] {
  return ctx.selection.rolesOnHost(host).map((role) => ({
    host, role: role.name, oldVersion: undefined, newVersion: row.version, result: row.result, seconds: 0, error: row.error,
  }));
}

const firstLine = (err: unknown): string => (err instanceof Error ? err.message.split("\n")[0] ?? "" : String(err));

/**
 * The host's first round trip: the proxy boot (deploy), what runs now for each role, and the versions still running
 * (for stale containers). Stale containers are stopped before anything boots, as `app stale_containers --stop` does.
 */
async function readHostState(ctx: Context, host: string, roles: readonly Role[], opts: BootOptions): Promise<Map<Role, RoleState>> {
  const { config } = ctx;
  const proxySteps = opts.proxy ? proxyBootSteps(ctx, host) : [];
  const perRole = roles.map((role) => [
    ...roleStateSteps(config, role),
    ...(opts.stale ? [{ cmd: query.listVersions(config, role), ignoreFailure: true }] : []),
  ]);
  // The env directory is made here too, saving each role's boot a round trip before its env file upload.
  const envDirectory: ScriptStep = { cmd: app.ensureEnvDirectory(config) };
  const results = await ctx.ex.script(host, [...proxySteps, ...perRole.flat(), envDirectory], { signal: ctx.signal });
  if (opts.proxy) checkProxyVersion(host, results[1]);

  const states = new Map<Role, RoleState>();
  const stale: ScriptStep[] = [];
  let at = proxySteps.length;
  for (const [i, role] of roles.entries()) {
    const out = (k: number) => results[at + k]?.stdout ?? "";
    const state = roleStateFrom(out(0), out(1));
    states.set(role, state);
    if (opts.stale) {
      for (const version of out(2).split("\n").map((v) => v.trim()).filter(Boolean)) {
        if (version === state.oldVersion || version === config.version) continue;
        ctx.report.info(`Stopping stale container for role ${role.name} with version ${version}`, host);
        stale.push({ cmd: app.stop(config, role, { version }), ignoreFailure: true });
      }
    }
    at += perRole[i]?.length ?? 0;
  }
  if (stale.length > 0) await ctx.ex.script(host, stale, { signal: ctx.signal });
  return states;
}

