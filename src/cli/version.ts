import type { Command } from "commander";
import type { CliDeps } from "./deps.ts";

export function registerVersion(program: Command, deps: CliDeps): void {
  program
    .command("version")
    .description("Show the sextant version")
    .action(() => deps.reporter.result(deps.version));
}
