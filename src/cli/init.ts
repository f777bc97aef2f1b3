import type { Command } from "commander";
import { foundAbove, locateApp } from "./app-dir.ts";
import type { CliDeps } from "./deps.ts";
import { readGlobals } from "./globals.ts";

export function registerInit(program: Command, deps: CliDeps): void {
  program
    .command("init")
    .description("Create config/deploy.yml from what the project says, .kamal/secrets, sample hooks and npm scripts (never overwrites)")
    .action(async (_flags: unknown, cmd: Command) => {
      // Below an app that has a config, init completes that app rather than starting a second one here.
      const app = await locateApp(readGlobals(cmd), deps.io);
      const using = foundAbove(app, deps.io);
      if (using !== undefined) deps.reporter.info(`Using ${using}`);
      const { initProject } = await import("../init/write.ts");
      for (const message of await initProject(app.io.cwd, app.io.env)) deps.reporter.info(message);
    });
}
