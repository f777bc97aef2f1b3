// `prune` (kamal-commands.md §6.7): stopped containers beyond retain_containers, then unused images.
import * as prune from "../commands/prune.ts";
import type { ScriptStep } from "../exec/executor.ts";
import { auditStep } from "./audit.ts";
import type { Context } from "./context.ts";

export async function pruneContainersSteps(ctx: Context, retain = ctx.config.retainContainers): Promise<ScriptStep[]> {
  return [await auditStep(ctx, "Pruned containers"), { cmd: prune.appContainers(ctx.config, retain) }];
}

export async function pruneImagesSteps(ctx: Context): Promise<ScriptStep[]> {
  return [
    await auditStep(ctx, "Pruned images"),
    { cmd: prune.danglingImages(ctx.config) },
    { cmd: prune.taggedImages(ctx.config) },
  ];
}

export async function pruneAllSteps(ctx: Context): Promise<ScriptStep[]> {
  return [...(await pruneContainersSteps(ctx)), ...(await pruneImagesSteps(ctx))];
}
