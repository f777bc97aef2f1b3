import type { Command } from "commander";
import { UsageError } from "../errors.ts";
import type { CliDeps } from "./deps.ts";

/** `canary status|promote|abort` (docs/canary.md): follow and finish what `deploy --canary PERCENT` started. */
export function registerCanary(program: Command, deps: CliDeps): void {
  const canary = program.command("canary").description("Follow, promote or abort a canary started by `deploy --canary`");

  canary
    .command("status")
    .description("Show per host which versions run and how kamal-proxy splits traffic between them")
    .action(async (_flags: unknown, cmd: Command) => {
      const { canaryStatus } = await import("../flows/canary.ts");
      const { canaryRows, describeCanaries } = await import("../flows/canary-text.ts");
      await deps.withContext(cmd, { needsSecrets: false }, async (ctx) => {
        const roles = await canaryStatus(ctx);
        // A dry run read nothing, so it has no state to describe; the planned commands are its answer.
        if (!ctx.options.dryRun) deps.reporter.result(describeCanaries(roles), { roles: canaryRows(roles) });
      });
    });

  canary
    .command("promote")
    .description("Deploy the canary's version everywhere with zero downtime, then end the rollout")
    .action(async (_flags: unknown, cmd: Command) => {
      const { promoteCanary } = await import("../flows/canary.ts");
      await deps.withContext(cmd, { needsSecrets: true }, (ctx) => promoteCanary(ctx));
    });

  canary
    .command("abort")
    .description("Send all traffic back to the running version and remove the canary containers")
    .action(async (_flags: unknown, cmd: Command) => {
      const { abortCanary } = await import("../flows/canary.ts");
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => abortCanary(ctx));
    });
}

/** `--canary PERCENT`: a whole number from 1 to 100. */
export function canaryPercent(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 100)
    throw new UsageError(`--canary must be a whole percentage from 1 to 100, got ${JSON.stringify(text)}`, {
      hint: "for example `sextant deploy --canary 10` sends 10% of the requests with a kamal-rollout cookie to the new version",
    });
  return Number(text);
}
