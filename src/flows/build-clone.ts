// Where `build push` builds: a clone of HEAD, so uncommitted files never reach the image, unless builder.context
// is set or this is no git repository (kamal lib/kamal/cli/build.rb `push`, lib/kamal/cli/build/clone.rb).
import { tmpdir } from "node:os";
import * as clone from "../commands/builder-clone.ts";
import { cmd, type Shell } from "../commands/shell.ts";
import { SextantError } from "../errors.ts";
import { LOCAL, type RunResult } from "../exec/executor.ts";
import type { Context } from "./context.ts";

/** A clone that could not be made or brought to HEAD; the flow deletes it and clones once more. */
class CloneError extends SextantError {}

/** The directory to build in; undefined for the working directory. */
export async function prepareBuildDirectory(ctx: Context): Promise<string | undefined> {
  const local = (c: Shell) => ctx.ex.attempt(LOCAL, c, { signal: ctx.signal });
  const root = await local(cmd("git", "rev-parse", "--show-toplevel"));
  const changes = root.code === 0 ? (await local(cmd("git", "status", "--porcelain"))).stdout.trimEnd() : "";
  if (!clone.buildsFromClone(ctx.config, root.code === 0)) {
    if (changes) ctx.report.warn(`Building with uncommitted changes:\n${changes}`);
    return undefined;
  }
  if (changes) ctx.report.warn(`Building from a local git clone, so ignoring these uncommitted changes:\n${changes}`);

  const paths = clone.clonePaths(ctx.config, { tmpdir: tmpdir(), cwd: ctx.cwd, gitRoot: root.stdout.trim() || ctx.cwd });
  const head = (await local(cmd("git", "rev-parse", "HEAD"))).stdout.trim();
  try {
    await cloneOrReset(ctx, paths, head);
    await validate(ctx, paths, head);
  } catch (err) {
    if (!(err instanceof CloneError)) throw err;
    ctx.report.warn(`Error preparing clone: ${err.message}, deleting and retrying...`);
    await ctx.ex.run(LOCAL, cmd("rm", "-rf", paths.cloneDirectory), { signal: ctx.signal });
    const again = await cloneRepo(ctx, paths);
    if (again.code !== 0) throw new SextantError(`Failed to clone repo: ${failure(again)}`);
    await validate(ctx, paths, head);
  }
  return paths.buildDirectory;
}

async function cloneRepo(ctx: Context, paths: clone.ClonePaths): Promise<RunResult> {
  ctx.report.info(`Cloning repo into build directory \`${paths.buildDirectory}\`...`);
  await ctx.ex.run(LOCAL, cmd("mkdir", "-p", paths.cloneDirectory), { signal: ctx.signal });
  return ctx.ex.attempt(LOCAL, clone.clone(paths), { signal: ctx.signal });
}

/** Cloning first and resetting only when git says the clone is already there, as Kamal does. */
async function cloneOrReset(ctx: Context, paths: clone.ClonePaths, head: string): Promise<void> {
  const cloned = await cloneRepo(ctx, paths);
  if (cloned.code === 0) return;
  if (!/already exists and is not an empty directory/.test(failure(cloned)))
    throw new CloneError(`Failed to clone repo: ${failure(cloned)}`);
  ctx.report.info(`Resetting local clone as \`${paths.buildDirectory}\` already exists...`);
  for (const step of clone.cloneResetSteps(paths, head || ctx.config.version)) {
    const result = await ctx.ex.attempt(LOCAL, step, { signal: ctx.signal });
    if (result.code !== 0) throw new CloneError(`Failed to clone repo: ${failure(result)}`);
  }
}

/** The clone must be clean and on the local HEAD. */
async function validate(ctx: Context, paths: clone.ClonePaths, head: string): Promise<void> {
  const where = paths.buildDirectory;
  const status = await ctx.ex.attempt(LOCAL, clone.cloneStatus(paths), { signal: ctx.signal });
  if (status.code !== 0) throw new CloneError(`Failed to validate clone: ${failure(status)}`);
  if (status.stdout.trim()) throw new CloneError(`Clone in ${where} is dirty, ${status.stdout.trim()}`);
  const revision = await ctx.ex.attempt(LOCAL, clone.cloneRevision(paths), { signal: ctx.signal });
  if (revision.code !== 0) throw new CloneError(`Failed to validate clone: ${failure(revision)}`);
  if (revision.stdout.trim() !== head)
    throw new CloneError(`Clone in ${where} is not on the correct revision, expected \`${head}\` but got \`${revision.stdout.trim()}\``);
}

/** A failed local command's own words: its stderr, else its stdout, else its exit status. */
export const failure = (result: RunResult): string => (result.stderr.trim() || result.stdout.trim() || `exit status ${result.code}`);
