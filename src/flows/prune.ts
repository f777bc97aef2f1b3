// `prune` (kamal-commands.md §6.7): stopped containers beyond retain_containers, then unused images, under the lock
// on every selected host. Deploys reuse the steps at the end of each host's pipeline.
import * as prune from "../commands/prune.ts";
import { SextantError } from "../errors.ts";
import type { ScriptStep } from "../exec/executor.ts";
import { onHosts } from "../exec/parallel.ts";
import { auditStep } from "./audit.ts";
import type { Context } from "./context.ts";
import { withLock } from "./lock.ts";

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

export type PruneWhat = "all" | "images" | "containers";

export async function pruneHosts(ctx: Context, what: PruneWhat, retain = ctx.config.retainContainers): Promise<void> {
  if (retain < 1) throw new SextantError("retain must be at least 1", { hint: "pass --retain 1 or more" });
  await withLock(ctx, async () => {
    const steps: ScriptStep[] = [
      ...(what === "images" ? [] : await pruneContainersSteps(ctx, retain)),
      ...(what === "containers" ? [] : await pruneImagesSteps(ctx)),
    ];
    await onHosts(ctx.selection.hosts, (host) => ctx.ex.script(host, steps, { signal: ctx.signal }), { signal: ctx.signal });
  });
}
