// `build dev` (kamal lib/kamal/cli/build.rb `dev`): build the working tree as it is, uncommitted and untracked
// files included, tagged `VERSION-dirty` and `latest-dirty`, into the local image store by default. No clone, no
// hooks, no builder check, no registry login.
import * as builder from "../commands/builder.ts";
import { buildTarget } from "../commands/builder-target.ts";
import { cmd, type Shell } from "../commands/shell.ts";
import { LOCAL } from "../exec/executor.ts";
import { buildSecrets, checkLocalDocker } from "./build.ts";
import { localArch } from "./builder-setup.ts";
import type { Context } from "./context.ts";

export type DevOptions = { readonly output?: string; readonly noCache?: boolean };

export async function buildDev(ctx: Context, opts: DevOptions = {}): Promise<void> {
  const target = buildTarget(ctx.config, localArch());
  const buildx = await checkLocalDocker(ctx, target);
  await warnAboutWorkingTree(ctx, buildx);
  const build = builder.push(ctx.config, target, { output: opts.output ?? "docker", tagAsDirty: true, noCache: opts.noCache, buildx });
  await ctx.ex.run(LOCAL, build, { env: buildSecrets(ctx), stream: ctx.options.verbose, signal: ctx.signal });
}

/** Kamal's image that lists the files a build context holds (kamal lib/kamal/docker.rb `included_files`). */
const CHECK_TAG = "kamal-local-build-check";
const CHECK_DOCKERFILE = 'FROM busybox\nCOPY . app\nWORKDIR app\nCMD find . -type f | sed "s|^\\./||"\n';

/**
 * Names the modified and untracked files that will end up in the dev image. Only files git reports are checked
 * against the build context (a throwaway busybox build), so a clean tree costs no build.
 */
async function warnAboutWorkingTree(ctx: Context, buildx: boolean): Promise<void> {
  const modified = await lines(ctx, cmd("git", "ls-files", "--modified"));
  const untracked = await lines(ctx, cmd("git", "ls-files", "--others"));
  if (modified.length === 0 && untracked.length === 0) return;
  const included = await includedFiles(ctx, buildx);
  if (included === undefined) return;
  const warn = (title: string, files: string[]) => {
    const shown = files.filter((file) => included.has(file)).sort();
    if (shown.length > 0) ctx.report.warn(`${title}\n${shown.map((file) => `  ${file}`).join("\n")}`);
  };
  warn("WARNING: Files with uncommitted changes will be present in the dev container:", modified);
  warn("WARNING: Untracked files will be present in the dev container:", untracked);
}

async function lines(ctx: Context, c: Shell): Promise<string[]> {
  const result = await ctx.ex.attempt(LOCAL, c, { signal: ctx.signal });
  return result.code === 0 ? result.stdout.split("\n").map((line) => line.trim()).filter(Boolean) : [];
}

/**
 * The build context's files; undefined (said once) when the check image cannot be built or run. Unlike Kamal,
 * `--load`, so the image reaches `docker run` when the current builder is not the docker driver.
 */
async function includedFiles(ctx: Context, buildx: boolean): Promise<Set<string> | undefined> {
  const build = buildx ? cmd("docker", "buildx", "build", "--load", `-t=${CHECK_TAG}`, "-f=-", ".") : cmd("docker", "build", `-t=${CHECK_TAG}`, "-f=-", ".");
  const built = await ctx.ex.attempt(LOCAL, build, { stdin: CHECK_DOCKERFILE, signal: ctx.signal });
  const listed = built.code === 0 ? await ctx.ex.attempt(LOCAL, cmd("docker", "run", "--rm", CHECK_TAG), { signal: ctx.signal }) : built;
  if (listed.code !== 0) {
    ctx.report.warn(`could not list the files of the build context, so not checking it for uncommitted files: ${(listed.stderr || listed.stdout).trim()}`);
    return undefined;
  }
  return new Set(listed.stdout.split("\n").map((line) => line.trim()).filter(Boolean));
}
