// `build deliver|create|remove|details` (kamal-commands.md §6.4); push and pull are in build.ts.
import * as builder from "../commands/builder.ts";
import { buildTarget } from "../commands/builder-target.ts";
import { LOCAL } from "../exec/executor.ts";
import { buildPull, buildPush, localArch, type PushOptions } from "./build.ts";
import type { Context } from "./context.ts";

export async function deliver(ctx: Context, opts: PushOptions): Promise<void> {
  await buildPush(ctx, opts);
  await buildPull(ctx);
}

export async function createBuilder(ctx: Context): Promise<void> {
  const create = builder.create(ctx.config, buildTarget(ctx.config, localArch()));
  if (!create) return;
  const result = await ctx.ex.attempt(LOCAL, create, { signal: ctx.signal });
  if (result.code !== 0) ctx.report.warn(`Couldn't create remote builder: ${result.stderr.trim()}`);
}

export async function removeBuilder(ctx: Context): Promise<void> {
  const remove = builder.remove(ctx.config, buildTarget(ctx.config, localArch()));
  if (remove) await ctx.ex.run(LOCAL, remove, { signal: ctx.signal });
}

export async function builderDetails(ctx: Context): Promise<void> {
  const target = buildTarget(ctx.config, localArch());
  const out = await ctx.ex.attempt(LOCAL, builder.info(ctx.config, target), { signal: ctx.signal });
  ctx.report.result(`Builder: ${target.kind}\n${out.stdout.trimEnd()}`);
}
