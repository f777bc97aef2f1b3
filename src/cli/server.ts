import type { Command } from "commander";
import { UsageError } from "../errors.ts";
import type { CliDeps } from "./deps.ts";

export function registerServer(program: Command, deps: CliDeps): void {
  const server = program.command("server").description("Bootstrap servers with Docker and run commands on them");

  server
    .command("exec")
    .description("Run a custom command on the servers")
    .argument("<cmd...>", "the command to run")
    .option("-i, --interactive", "Run the command interactively (on the primary host)")
    .option("--raw", "Print the output only, without host headers")
    .allowUnknownOption()
    .action(async (words: string[], flags: { interactive?: boolean; raw?: boolean }, cmd: Command) => {
      if (flags.interactive && flags.raw) throw new UsageError("Raw is not compatible with interactive");
      if (flags.interactive) {
        const { interactive } = await import("../flows/interactive.ts");
        await deps.withContext(cmd, { needsSecrets: false }, (ctx) => interactive(ctx, ctx.selection.primaryHost, words.join(" ")));
        return;
      }
      const { exec } = await import("../flows/server.ts");
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => exec(ctx, words));
    });

  server
    .command("keyscan")
    .description("Pin the servers' host keys in .kamal/known_hosts (commit it: CI then verifies hosts without a prepared ~/.ssh)")
    .action(async (_flags: unknown, cmd: Command) => {
      const { pinHostKeys } = await import("../flows/server.ts");
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => pinHostKeys(ctx, deps.io.env));
    });

  server
    .command("bootstrap")
    .description("Set up Docker to run sextant apps")
    .action(async (_flags: unknown, cmd: Command) => {
      const { bootstrap } = await import("../flows/server.ts");
      await deps.withContext(cmd, { needsSecrets: false }, (ctx) => bootstrap(ctx));
    });
}
