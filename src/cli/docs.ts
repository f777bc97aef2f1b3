import type { Command } from "commander";
import type { CliDeps } from "./deps.ts";

export function registerDocs(program: Command, deps: CliDeps): void {
  program
    .command("docs")
    .argument("[section]", "accessory, alias, boot, builder, env, logging, output, proxy, registry, role, servers, ssh or sshkit")
    .description("Show the configuration documentation")
    .action(async (section: string | undefined) => {
      const { terminalDocs } = await import("../config/docs.ts");
      deps.reporter.result(terminalDocs(section));
    });
}
