import type { Command } from "commander";
import { confirming } from "./confirming.ts";
import type { CliDeps } from "./deps.ts";
import { readGlobals } from "./globals.ts";

/** `upgrade` (kamal lib/kamal/cli/main.rb): from Kamal 1, kamal-proxy instead of Traefik, accessories restarted. */
export function registerUpgrade(program: Command, deps: CliDeps): void {
  program
    .command("upgrade")
    .description("Upgrade from Kamal 1.x to 2.0: replace Traefik with kamal-proxy and restart the accessories")
    .option("--rolling", "Upgrade one host at a time")
    .option("-y, --confirmed", "Proceed without asking for confirmation")
    .option("--yes", "Same as -y")
    .action(async (flags: { rolling?: boolean; confirmed?: boolean; yes?: boolean }, cmd: Command) => {
      await confirming(deps, cmd, flags, "This will replace Traefik with kamal-proxy and restart all accessories", async () => {
        const { upgrade } = await import("../flows/main.ts");
        const { version } = readGlobals(cmd);
        await deps.withContext(cmd, { needsSecrets: true }, (ctx) => upgrade(ctx, flags.rolling === true, version));
      });
    });
}
