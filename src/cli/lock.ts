import type { Command } from "commander";
import type { CliDeps } from "./deps.ts";

/** `lock status|acquire|release` (kamal-commands.md §6.5): the deploy lock on the primary host. */
export function registerLock(program: Command, deps: CliDeps): void {
  const lock = program.command("lock").description("Manage the deploy lock");

  lock
    .command("status")
    .description("Report the lock status")
    .action(async (_flags: unknown, cmd: Command) => {
      const { lockStatus } = await import("../flows/lock.ts");
      await deps.withContext(cmd, { needsSecrets: false }, async (ctx) => {
        const details = await lockStatus(ctx);
        deps.reporter.result(details ?? "There is no deploy lock", { locked: details !== undefined, details });
      });
    });

  lock
    .command("acquire")
    .description("Acquire the deploy lock")
    .requiredOption("-m, --message <text>", "A lock message")
    .action(async (flags: { message: string }, cmd: Command) => {
      const { acquireDeployLock } = await import("../flows/lock.ts");
      await deps.withContext(cmd, { needsSecrets: false }, async (ctx) => {
        await acquireDeployLock(ctx, flags.message);
        deps.reporter.info("Acquired the deploy lock");
      });
    });

  lock
    .command("release")
    .description("Release the deploy lock")
    .action(async (_flags: unknown, cmd: Command) => {
      const { lockStatus, releaseDeployLock } = await import("../flows/lock.ts");
      await deps.withContext(cmd, { needsSecrets: false }, async (ctx) => {
        if (!ctx.options.dryRun && (await lockStatus(ctx)) === undefined) {
          deps.reporter.info("There is no deploy lock");
          return;
        }
        await releaseDeployLock(ctx);
        deps.reporter.info("Released the deploy lock");
      });
    });
}
