// The buildx builder: `build create|remove|details` (kamal-commands.md §6.4), and recreating a missing builder
// before a push (kamal lib/kamal/cli/build.rb `push`, `create`, `remove`, `details`).
import * as builder from "../commands/builder.ts";
import { buildTarget, type BuildTarget } from "../commands/builder-target.ts";
import { SextantError } from "../errors.ts";
import { LOCAL } from "../exec/executor.ts";
import { failure as said } from "./build-clone.ts";
import type { Context } from "./context.ts";
import { reachRemoteBuilder, type OpenBuilderHost } from "./remote-builder.ts";

/** docker's name for this machine's architecture, as `docker info` reports it to Kamal. */
export const localArch = (): string => (process.arch === "arm64" ? "arm64" : "amd64");

const targetOf = (ctx: Context): BuildTarget => buildTarget(ctx.config, localArch());

/**
 * Creates the builder after checking an ssh:// remote builder's host is reachable. A failed creation is reported
 * and returns false, as in Kamal, where `build create` then still exits 0.
 */
export async function createBuilder(ctx: Context, openBuilderHost?: OpenBuilderHost): Promise<boolean> {
  await reachRemoteBuilder(ctx, openBuilderHost);
  const create = builder.create(ctx.config, targetOf(ctx));
  if (!create) return true;
  const result = await ctx.ex.attempt(LOCAL, create, { signal: ctx.signal });
  if (result.code === 0) return true;
  ctx.report.warn(`Couldn't create remote builder: ${said(result)}`);
  return false;
}

export async function removeBuilder(ctx: Context): Promise<void> {
  const remove = builder.remove(ctx.config, targetOf(ctx));
  if (remove) await ctx.ex.run(LOCAL, remove, { signal: ctx.signal });
}

/** `Builder: local` (remote, hybrid, pack, cloud), then what docker says about its contexts and builders. */
export async function builderDetails(ctx: Context): Promise<void> {
  const target = targetOf(ctx);
  const info = await ctx.ex.capture(LOCAL, builder.info(ctx.config, target), { signal: ctx.signal });
  ctx.report.result(`Builder: ${target.kind}\n${info}`);
}

/** What `docker buildx inspect` (or the remote endpoint check) says when the builder is missing or points elsewhere. */
const MISSING_BUILDER = /context not found|no builder|no compatible builder|does not exist/;
/** ...and when it is simply not there, so failing to remove it first is expected. */
const ABSENT_BUILDER = /context not found|no builder|does not exist/;

/** Inspects the builder before a push and recreates it when it is missing or points elsewhere. */
export async function ensureBuilder(ctx: Context, openBuilderHost: OpenBuilderHost | undefined): Promise<void> {
  const target = targetOf(ctx);
  const inspect = builder.inspectBuilder(ctx.config, target);
  if (!inspect) return;
  const inspected = await ctx.ex.attempt(LOCAL, inspect, { signal: ctx.signal });
  if (inspected.code === 0) return;
  const why = said(inspected);
  if (!MISSING_BUILDER.test(why)) throw new SextantError(`could not inspect the buildx builder: ${why}`);
  ctx.report.warn("Missing compatible builder, so creating a new one first");
  const remove = builder.remove(ctx.config, target);
  if (remove) {
    const removed = await ctx.ex.attempt(LOCAL, remove, { signal: ctx.signal });
    if (removed.code !== 0 && !ABSENT_BUILDER.test(why)) throw new SextantError(`could not remove the buildx builder: ${said(removed)}`);
  }
  if (!(await createBuilder(ctx, openBuilderHost)))
    throw new SextantError("could not create the buildx builder", { hint: "see the error above; `sextant build create` retries only that step" });
}
