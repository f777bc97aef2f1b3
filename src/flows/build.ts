// `build push` and `build pull` (kamal-commands.md §6.4): build the image on this machine (from a clean git clone of
// HEAD unless builder.context is set), push it, and pull it on the app hosts.
import { tmpdir } from "node:os";
import * as builder from "../commands/builder.ts";
import * as clone from "../commands/builder-clone.ts";
import { canBuildWithoutBuildx } from "../commands/builder-fallback.ts";
import { buildTarget, logsInLocally, pushEnv, type BuildTarget } from "../commands/builder-target.ts";
import * as registry from "../commands/registry.ts";
import { cmd } from "../commands/shell.ts";
import type { Secret } from "../config/secret.ts";
import { SextantError } from "../errors.ts";
import { LOCAL, type ScriptStep } from "../exec/executor.ts";
import { onHosts } from "../exec/parallel.ts";
import { auditStep } from "./audit.ts";
import type { Context } from "./context.ts";
import { preConnect, runHook } from "./hooks.ts";
import { loginOnHost } from "./registry.ts";

export class DependencyError extends SextantError {}

/** docker's name for this machine's architecture, as `docker info` reports it to Kamal. */
export const localArch = (): string => (process.arch === "arm64" ? "arm64" : "amd64");

export type PushOptions = { readonly output?: string; readonly noCache?: boolean };

export async function buildPush(ctx: Context, opts: PushOptions = {}): Promise<void> {
  const { config } = ctx;
  const target = buildTarget(config, localArch());
  await preConnect(ctx);
  const buildx = await checkLocalDocker(ctx, target);

  if (config.registry.local) await ctx.ex.run(LOCAL, registry.setup(config.registry), { signal: ctx.signal });
  else if (logsInLocally(target)) await loginLocally(ctx);

  await runHook(ctx, "pre-build");
  const directory = await prepareBuildDirectory(ctx);
  if (buildx) await ensureBuilder(ctx, target);

  const env: Record<string, string | Secret> = { ...pushEnv(target) };
  for (const name of config.builder.secrets) env[name] = config.secrets.get(name);
  ctx.report.step(`Building ${config.repository}:${config.version}${directory ? " from a clean clone of HEAD" : ""}...`);
  await ctx.ex.run(LOCAL, builder.push(config, target, { output: opts.output, noCache: opts.noCache, buildx }),
    { cwd: directory, env, stream: ctx.options.verbose, signal: ctx.signal });
}

/** true when buildx is there; false when a plain `docker build` can stand in for it (announced in one line). */
async function checkLocalDocker(ctx: Context, target: BuildTarget): Promise<boolean> {
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

/**
 * Kamal builds from a fresh clone of HEAD when builder.context is unset and this is a git repository, so
 * uncommitted files never reach the image. Returns the directory to build in (undefined: the working directory).
 */
async function prepareBuildDirectory(ctx: Context): Promise<string | undefined> {
  if (ctx.config.builder.context !== undefined) {
    const status = await ctx.ex.attempt(LOCAL, cmd("git", "status", "--porcelain"), { signal: ctx.signal });
    if (status.stdout.trim()) ctx.report.warn(`Building with uncommitted changes:\n${status.stdout.trimEnd()}`);
    return undefined;
  }
  const root = await ctx.ex.attempt(LOCAL, cmd("git", "rev-parse", "--show-toplevel"), { signal: ctx.signal });
  if (root.code !== 0) return undefined;
  const status = await ctx.ex.attempt(LOCAL, cmd("git", "status", "--porcelain"), { signal: ctx.signal });
  if (status.stdout.trim())
    ctx.report.warn(`Building from a local git clone, so ignoring these uncommitted changes:\n${status.stdout.trimEnd()}`);

  const cwd = (await ctx.ex.capture(LOCAL, cmd("pwd", "-P"), { signal: ctx.signal })) || ".";
  const paths = clone.clonePaths(ctx.config, { tmpdir: tmpdir(), cwd, gitRoot: root.stdout.trim() || cwd });
  const head = (await ctx.ex.capture(LOCAL, cmd("git", "rev-parse", "HEAD"), { signal: ctx.signal })) || ctx.config.version;
  const exists = await ctx.ex.attempt(LOCAL, cmd("test", "-d", paths.buildDirectory), { signal: ctx.signal });
  if (exists.code === 0 && (await resetClone(ctx, paths, head))) return paths.buildDirectory;
  if (exists.code === 0) ctx.report.warn(`Error preparing clone, deleting and retrying...`);
  ctx.report.info(`Cloning repo into build directory \`${paths.buildDirectory}\`...`);
  await ctx.ex.run(LOCAL, cmd("rm", "-rf", paths.cloneDirectory), { signal: ctx.signal });
  await ctx.ex.run(LOCAL, cmd("mkdir", "-p", paths.cloneDirectory), { signal: ctx.signal });
  await ctx.ex.run(LOCAL, clone.clone(paths), { signal: ctx.signal });
  return paths.buildDirectory;
}

async function resetClone(ctx: Context, paths: clone.ClonePaths, head: string): Promise<boolean> {
  ctx.report.info(`Resetting local clone as \`${paths.buildDirectory}\` already exists...`);
  for (const step of clone.cloneResetSteps(paths, head))
    if ((await ctx.ex.attempt(LOCAL, step, { signal: ctx.signal })).code !== 0) return false;
  const dirty = await ctx.ex.attempt(LOCAL, clone.cloneStatus(paths), { signal: ctx.signal });
  return dirty.code === 0 && dirty.stdout.trim() === "";
}

/** Inspects the buildx builder and recreates it when it is missing or points elsewhere. */
async function ensureBuilder(ctx: Context, target: BuildTarget): Promise<void> {
  const inspect = builder.inspectBuilder(ctx.config, target);
  if (!inspect) return;
  const result = await ctx.ex.attempt(LOCAL, inspect, { signal: ctx.signal });
  if (result.code === 0) return;
  if (!/context not found|no builder|no compatible builder|does not exist/.test(result.stdout + result.stderr))
    throw new SextantError(`could not inspect the buildx builder: ${(result.stderr || result.stdout).trim()}`);
  ctx.report.warn("Missing compatible builder, so creating a new one first");
  const remove = builder.remove(ctx.config, target);
  if (remove) await ctx.ex.attempt(LOCAL, remove, { signal: ctx.signal });
  const create = builder.create(ctx.config, target);
  if (create) await ctx.ex.run(LOCAL, create, { signal: ctx.signal });
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

/** `build pull`: login and pull on every selected app host, in parallel. */
export async function buildPull(ctx: Context, hosts: readonly string[] = ctx.selection.appHosts): Promise<void> {
  await preConnect(ctx);
  const steps = await pullSteps(ctx);
  await onHosts(hosts, async (host) => {
    await loginOnHost(ctx, host);
    await ctx.ex.script(host, steps, { signal: ctx.signal });
  }, { signal: ctx.signal });
}
