// `build deliver|push|pull` (kamal-commands.md §6.4): build the image on this machine (from a clean git clone of
// HEAD unless builder.context is set), push it, and pull it on the app hosts.
import * as builder from "../commands/builder.ts";
import { canBuildWithoutBuildx } from "../commands/builder-fallback.ts";
import { buildTarget, logsInLocally, pushEnv, remoteBuilderHost, type BuildTarget } from "../commands/builder-target.ts";
import { withEnv } from "../commands/env-export.ts";
import * as registry from "../commands/registry.ts";
import { cmd } from "../commands/shell.ts";
import type { Secret } from "../config/secret.ts";
import { SextantError } from "../errors.ts";
import { LOCAL, type Executor, type ScriptStep } from "../exec/executor.ts";
import { onHosts } from "../exec/parallel.ts";
import { auditStep } from "./audit.ts";
import { prepareBuildDirectory } from "./build-clone.ts";
import { ensureBuilder, localArch } from "./builder-setup.ts";
import type { Context } from "./context.ts";
import { failedOn } from "./host-failed.ts";
import { preConnect, runHook } from "./hooks.ts";
import { loginSteps } from "./registry.ts";
import type { OpenBuilderHost } from "./remote-builder.ts";

export class DependencyError extends SextantError {}

export type PushOptions = {
  readonly output?: string;
  readonly noCache?: boolean;
  /** reaches an ssh:// remote builder before a missing builder is created (see remote-builder.ts) */
  readonly openBuilderHost?: OpenBuilderHost;
};

export async function deliver(ctx: Context, opts: PushOptions): Promise<void> {
  await connectAhead(ctx, ctx.selection.appHosts);
  await buildPush(ctx, opts);
  await buildPull(ctx);
}

/**
 * Runs the pre-connect hook, then starts opening the connections (and shell sessions) of `hosts` without waiting:
 * their handshakes overlap the build, and no host waits for one when its pull starts.
 */
export async function connectAhead(ctx: Context, hosts: readonly string[]): Promise<void> {
  await preConnect(ctx);
  ctx.ex.connect?.(hosts, ctx.signal);
}

export async function buildPush(ctx: Context, opts: PushOptions = {}): Promise<void> {
  const { config } = ctx;
  const target = buildTarget(config, localArch());
  // pre-connect runs before anything else: a remote builder or the pre-build hook may need it.
  await preConnect(ctx);
  const buildx = await checkLocalDocker(ctx, target);

  if (config.registry.local) await ctx.ex.run(LOCAL, registry.setup(config.registry), { signal: ctx.signal });
  else if (logsInLocally(target)) await loginLocally(ctx);

  await runHook(ctx, "pre-build");
  const directory = await prepareBuildDirectory(ctx);
  await withRegistryReachableFromBuilder(ctx, target, opts.openBuilderHost, async () => {
    if (buildx) await ensureBuilder(ctx, opts.openBuilderHost);
    ctx.report.step(`Building ${config.repository}:${config.version}${directory ? " from a clean clone of HEAD" : ""}...`);
    // A remote builder's environment goes on the command line, where SSHKit puts it (kamal Builder::Remote#push_env).
    const push = withEnv(pushEnv(target), builder.push(config, target, { output: opts.output, noCache: opts.noCache, buildx }));
    ctx.report.phase?.(LOCAL, "build");
    await ctx.ex.run(LOCAL, push, { cwd: directory, env: buildSecrets(ctx), stream: ctx.options.verbose, signal: ctx.signal });
    ctx.report.phase?.(LOCAL, "done");
  });
}

/** A remote builder pushes to a local registry through a reverse forward on the builder's host, as for pulls. */
async function withRegistryReachableFromBuilder(
  ctx: Context, target: BuildTarget, open: OpenBuilderHost | undefined, work: () => Promise<void>,
): Promise<void> {
  const remote = target.kind === "remote" || target.kind === "hybrid";
  const builderHost = ctx.config.registry.local && remote ? remoteBuilderHost(ctx.config) : undefined;
  if (builderHost === undefined || open === undefined) return work();
  const ex = await open(builderHost);
  try {
    await withLocalRegistryForwarded(ctx, [builderHost.host], work, ex);
  } finally {
    await ex.close();
  }
}

/** Build secrets reach the build through its environment, never its command line. */
export function buildSecrets(ctx: Context): Record<string, Secret> {
  return Object.fromEntries(ctx.config.builder.secrets.map((name) => [name, ctx.config.secrets.get(name)]));
}

/** true when buildx is there; false when a plain `docker build` can stand in for it (announced in one line). */
export async function checkLocalDocker(ctx: Context, target: BuildTarget): Promise<boolean> {
  if ((await ctx.ex.attempt(LOCAL, builder.ensureDockerInstalled(), { signal: ctx.signal })).code === 0) return true;
  if ((await ctx.ex.attempt(LOCAL, cmd("docker", "--version"), { signal: ctx.signal })).code !== 0)
    throw new DependencyError("Docker is not installed locally", { hint: "install docker (e.g. `apt-get install docker.io`) and try again" });
  if (!canBuildWithoutBuildx(ctx.config, target))
    throw new DependencyError("Docker buildx plugin is not installed locally", {
      hint: "install the buildx plugin; without it sextant can only build a single local platform with no cache export, build secrets or ssh",
    });
  ctx.report.info("docker buildx is not installed here, so building with `docker build` and pushing with `docker push`");
  return false;
}

async function loginLocally(ctx: Context): Promise<void> {
  const login = registry.loginWithStdin(ctx.config.registry);
  if (login) await ctx.ex.run(LOCAL, login, { stdin: registry.loginPassword(ctx.config.registry), signal: ctx.signal });
}

/** What a host runs to pull the version: audit, drop a stale local copy, pull, check the service label. */
export async function pullSteps(ctx: Context): Promise<ScriptStep[]> {
  return [
    await auditStep(ctx, `Pulled image with version ${ctx.config.version}`),
    { cmd: builder.clean(ctx.config), ignoreFailure: true },
    { cmd: builder.pull(ctx.config) },
    { cmd: builder.validateImage(ctx.config) },
  ];
}

/**
 * `build pull` (and the pull of every deploy): log in on the app hosts, then pull. Hosts behind registry mirrors
 * pull first on one host per mirror, so the others find the image in their mirror (kamal cli/build.rb `pull`).
 */
export async function buildPull(ctx: Context, hosts: readonly string[] = ctx.selection.appHosts): Promise<void> {
  await preConnect(ctx);
  await withLocalRegistryForwarded(ctx, hosts, () => pullOn(ctx, hosts));
}

async function pullOn(ctx: Context, hosts: readonly string[]): Promise<void> {
  const steps = await pullSteps(ctx);
  const pullOnHost = async (host: string, before: readonly ScriptStep[] = []) => {
    ctx.report.phase?.(host, "pull");
    await ctx.ex.script(host, [...before, ...steps], { signal: ctx.signal }).catch((err: unknown) => failedOn(ctx, host, err));
    ctx.report.phase?.(host, "pulled");
  };
  // One host has no mirror to seed: its login rides with the pull.
  if (hosts.length === 1) {
    await onHosts(hosts, (host) => pullOnHost(host, loginSteps(ctx.config.registry)), { signal: ctx.signal });
    return;
  }
  const mirrors = await onHosts(hosts, (host) => loginAndFirstMirror(ctx, host), { signal: ctx.signal });
  const seeds = mirrorSeeds(hosts, mirrors);
  const pull = (on: readonly string[]) => onHosts(on, (host) => pullOnHost(host), { signal: ctx.signal });
  if (seeds.length === 0) {
    await pull(hosts);
    return;
  }
  ctx.report.step(`Pulling image on ${seeds.join(", ")} to seed the ${seeds.length === 1 ? "mirror" : "mirrors"}...`);
  await pull(seeds);
  ctx.report.step("Pulling image on remaining hosts...");
  await pull(hosts.filter((host) => !seeds.includes(host)));
}

/**
 * Runs `work` while each of `hosts` reaches the local registry (registry.server: localhost:PORT) through a
 * reverse forward of PORT over its SSH connection; just `work` for any other registry.
 */
export async function withLocalRegistryForwarded(
  ctx: Context, hosts: readonly string[], work: () => Promise<void>, ex: Executor = ctx.ex,
): Promise<void> {
  const port = ctx.config.registry.local ? ctx.config.registry.localPort : undefined;
  if (port === undefined || hosts.length === 0) return work();
  if (!ex.forwardRemotePort) throw new SextantError("this executor cannot forward ports for the local registry");
  const forward = ex.forwardRemotePort.bind(ex);
  ctx.report.info(`Setting up local registry port forwarding to ${hosts.join(", ")}...`);
  const forwards = await onHosts(hosts, (host) => forward(host, port, { signal: ctx.signal }), { signal: ctx.signal });
  try {
    await work();
  } finally {
    await Promise.all([...forwards.values()].map((f) => f.close()));
  }
}

/**
 * Logs the host in and reads its first registry mirror, in one round trip; undefined when it has none (docker's
 * template fails on the empty list).
 */
async function loginAndFirstMirror(ctx: Context, host: string): Promise<string | undefined> {
  const login = loginSteps(ctx.config.registry);
  const results = await ctx.ex.script(host, [...login, { cmd: builder.firstMirror(), ignoreFailure: true }], { signal: ctx.signal });
  const result = results.at(-1);
  if (result === undefined || result.code === 0) return result?.stdout.trim() || undefined;
  if (/error calling index: reflect: slice index out of range/.test(result.stderr + result.stdout)) return undefined;
  throw new SextantError(`[${host}] could not read the registry mirrors: ${(result.stderr || result.stdout).trim()}`);
}

/** The first host (in the given order) behind each distinct mirror. */
function mirrorSeeds(hosts: readonly string[], mirrors: ReadonlyMap<string, string | undefined>): string[] {
  const seeds = new Map<string, string>();
  for (const host of hosts) {
    const mirror = mirrors.get(host);
    if (mirror !== undefined && !seeds.has(mirror)) seeds.set(mirror, host);
  }
  return [...seeds.values()];
}
