import type { Command } from "commander";
import type { CliDeps } from "./deps.ts";

export function registerInit(program: Command, deps: CliDeps): void {
  program
    .command("init")
    .description("Create config/deploy.yml, .kamal/secrets and sample hooks in .kamal/hooks (never overwrites)")
    .action(async () => {
      const { initProject } = await import("../init/write.ts");
      for (const message of await initProject(deps.io.cwd)) deps.reporter.info(message);
    });
}
