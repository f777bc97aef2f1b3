import type { Context } from "./context.ts";

/** Marks `host` failed for the live view, the heartbeat and `host.phase`, then rethrows what it failed with. */
export function failedOn(ctx: Context, host: string, err: unknown): never {
  ctx.report.phase?.(host, "failed");
  throw err;
}
