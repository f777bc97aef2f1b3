import type { Command } from "commander";
import type { CliDeps } from "./deps.ts";

/** `lock status|acquire|release` (kamal-commands.md §6.5): the deploy lock on the primary host. */
export function registerLock(program: Command, deps: CliDeps): void {
  const lock = program.command("lock").description("Manage the deploy lock");

  lock
    .command("status")
    .description("Report the lock status")
    .action(async (_flags: unknown, cmd: Command) => {
      const { readLock } = await import("../flows/lock.ts");
      const { describeLiveness } = await import("../flows/lock-liveness.ts");
      await deps.withContext(cmd, { needsSecrets: false }, async (ctx) => {
        const held = await readLock(ctx);
        if (held === undefined) return deps.reporter.result("There is no deploy lock", { locked: false });
        // Kamal's lines first, as Kamal prints them; a dry run read nothing, so it has no holder to judge.
        const text = ctx.options.dryRun ? held.details : `${held.details}\n${describeLiveness(held.liveness)}`;
        deps.reporter.result(text, { locked: true, details: held.details, holder: held.liveness });
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
      const { readLock, releaseDeployLock } = await import("../flows/lock.ts");
      await deps.withContext(cmd, { needsSecrets: false }, async (ctx) => {
        if (!ctx.options.dryRun && (await readLock(ctx)) === undefined) {
          deps.reporter.info("There is no deploy lock");
          return;
        }
        await releaseDeployLock(ctx);
        deps.reporter.info("Released the deploy lock");
      });
    });
}
