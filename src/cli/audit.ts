import type { Command } from "commander";
import type { CliDeps } from "./deps.ts";

/** `audit`: the last lines of each host's audit log. */
export function registerAudit(program: Command, deps: CliDeps): void {
  program
    .command("audit")
    .description("Show the audit log entries from the servers")
    .action(async (_flags: unknown, cmd: Command) => {
      const [{ onHosts }, auditor, { preConnect }, { printByHost }] = await Promise.all([
        import("../exec/parallel.ts"), import("../commands/auditor.ts"), import("../flows/hooks.ts"), import("../flows/by-host.ts")]);
      await deps.withContext(cmd, { needsSecrets: false }, async (ctx) => {
        await preConnect(ctx);
        const logs = await onHosts(ctx.selection.hosts, (host) => ctx.ex.capture(host, auditor.reveal(ctx.config), { signal: ctx.signal }), { signal: ctx.signal });
        printByHost(ctx, "App", logs);
      });
    });
}
