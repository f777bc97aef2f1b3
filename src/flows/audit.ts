// Audit lines that go in front of remote steps (kamal-on-host.md §6): every flow records what it does on the host
// it does it to, in the same session as the step itself.
import * as auditor from "../commands/auditor.ts";
import { utcTimestamp, type Details, type Performed } from "../commands/tags.ts";
import type { ScriptStep } from "../exec/executor.ts";
import type { Context } from "./context.ts";
import { performer } from "./hooks.ts";

export async function performed(ctx: Context): Promise<Performed> {
  return { recordedAt: utcTimestamp(ctx.now()), performer: await performer(ctx) };
}

/** The script step that appends `line` to the host's audit log. */
export async function auditStep(ctx: Context, line: string, details: Details = {}): Promise<ScriptStep> {
  return { cmd: auditor.record(ctx.config, await performed(ctx), line, details) };
}
